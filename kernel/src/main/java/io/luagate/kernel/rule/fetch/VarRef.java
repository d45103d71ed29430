package io.luagate.kernel.rule.fetch;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.spi.sample.VarScope;
import java.util.function.Function;

/**
 * A variable named as in HAProxy ({@code txn.flow}, {@code sess.user}), split once at load.
 *
 * @param scope the scope
 * @param name  the name without the scope
 */
public record VarRef(VarScope scope, String name) {

    /** Parses {@code scope.name}; the error names the keyword of {@code args}. */
    public static VarRef parse(String text, Args args) throws RuleSyntaxException {
        return parse(text, args::error);
    }

    /** Parses {@code scope.name}; {@code error} makes the exception for a bad name. */
    public static VarRef parse(String text, Function<String, RuleSyntaxException> error) throws RuleSyntaxException {
        int dot = text.indexOf('.');
        VarScope scope = dot > 0 ? VarScope.parse(text.substring(0, dot)) : null;
        if (scope == null || dot == text.length() - 1) {
            throw error.apply("variable '" + text + "' must be <scope>.<name> with scope proc, sess, txn, req or res");
        }
        return new VarRef(scope, text.substring(dot + 1));
    }
}
