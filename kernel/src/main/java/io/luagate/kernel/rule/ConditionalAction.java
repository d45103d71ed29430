package io.luagate.kernel.rule;

import io.luagate.kernel.rule.acl.Condition;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;

/**
 * An action with an {@code if}/{@code unless} condition: it runs only when the condition holds.
 * As in HAProxy, a condition that read data that may still grow is decided only if its ACLs
 * matched; otherwise the rule waits for more data ({@link Verdict#WAIT}).
 */
record ConditionalAction(Condition condition, Action action) implements Action {

    @Override
    public Verdict execute(Transaction txn) {
        int marks = txn.mayChangeMarks();
        boolean holds = condition.test(txn);
        if (txn.mayChangeMarks() != marks && holds == condition.unless()) {
            return Verdict.WAIT;
        }
        return holds ? action.execute(txn) : Verdict.CONTINUE;
    }
}
