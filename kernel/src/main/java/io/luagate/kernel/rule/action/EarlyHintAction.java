package io.luagate.kernel.rule.action;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.expr.LogFormat;
import io.luagate.spi.http.AsciiFold;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;

/**
 * {@code http-request early-hint <name> <fmt>}: one header of a {@code 103 Early Hints} interim
 * response. As in HAProxy 2.6, the 103 is sent by the rule that closes a group: one whose next rule
 * is no early-hint, or an early-hint with a condition ({@link #closesGroup}, set once the list is
 * compiled); an early-hint that runs with no 103 pending starts one.
 *
 * @param name        the header name, in lower case as HAProxy writes it
 * @param value       its value
 * @param closesGroup whether running this rule sends the pending 103
 */
public record EarlyHintAction(String name, LogFormat value, boolean closesGroup) implements Action {

    static Action compile(ActionSyntax syntax) throws RuleSyntaxException {
        syntax.expect(2, 2);
        return new EarlyHintAction(AsciiFold.fold(syntax.headerName(0)), syntax.headerValue(1), true);
    }

    /** This rule, sending its group's 103 or not. */
    public EarlyHintAction closing(boolean closes) {
        return closes == closesGroup ? this : new EarlyHintAction(name, value, closes);
    }

    @Override
    public Verdict execute(Transaction txn) {
        txn.earlyHint(name, value.render(txn), closesGroup);
        return Verdict.CONTINUE;
    }
}
