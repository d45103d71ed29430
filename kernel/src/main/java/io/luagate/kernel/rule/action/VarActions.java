package io.luagate.kernel.rule.action;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.expr.LogFormat;
import io.luagate.kernel.rule.expr.SampleExpr;
import io.luagate.kernel.rule.fetch.VarRef;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Verdict;

/** {@code set-var(scope.name) <expr>}, {@code set-var-fmt(scope.name) <fmt>}, {@code unset-var(scope.name)}. */
final class VarActions {

    private VarActions() {
    }

    private static VarRef ref(ActionSyntax syntax) throws RuleSyntaxException {
        String text = syntax.keywordArgument();
        // set-var(txn.x,ifnotexists) style conditions came after 2.6: only the name is accepted.
        return VarRef.parse(text.trim(), syntax::error);
    }

    static Action setVar(ActionSyntax syntax) throws RuleSyntaxException {
        syntax.expect(1, 1);
        VarRef ref = ref(syntax);
        SampleExpr expr = syntax.expr(0);
        return txn -> {
            Object value = expr.eval(txn);
            if (value != null) {
                txn.setVar(ref.scope(), ref.name(), value);
            }
            return Verdict.CONTINUE;
        };
    }

    static Action setVarFmt(ActionSyntax syntax) throws RuleSyntaxException {
        syntax.expect(1, 1);
        VarRef ref = ref(syntax);
        LogFormat format = syntax.format(0);
        return txn -> {
            txn.setVar(ref.scope(), ref.name(), format.render(txn));
            return Verdict.CONTINUE;
        };
    }

    static Action unsetVar(ActionSyntax syntax) throws RuleSyntaxException {
        syntax.expect(0, 0);
        VarRef ref = ref(syntax);
        return txn -> {
            txn.setVar(ref.scope(), ref.name(), null);
            return Verdict.CONTINUE;
        };
    }
}
