package io.luagate.kernel.rule;

import io.luagate.kernel.rule.acl.Condition;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;

/** An action with an {@code if}/{@code unless} condition: it runs only when the condition holds. */
record ConditionalAction(Condition condition, Action action) implements Action {

    @Override
    public Verdict execute(Transaction txn) {
        return condition.test(txn) ? action.execute(txn) : Verdict.CONTINUE;
    }
}
