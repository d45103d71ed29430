package io.luagate.kernel.rule;

import io.luagate.kernel.rule.acl.Condition;
import io.luagate.kernel.rule.expr.LogFormat;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.rule.Transaction;
import java.util.function.Function;

/**
 * One {@code use-backend} rule: a backend named statically (checked at load, resolved on first
 * use because backends and rules are built together) or by a log-format ({@code %[var(req.be)]},
 * looked up per request; an unknown name skips the rule, as in HAProxy), and an optional condition.
 */
public final class BackendRule {

    private final Condition condition;
    private final String fixedName;
    private final LogFormat dynamic;
    private final Function<String, Backend> lookup;
    private Backend fixed;

    BackendRule(Condition condition, String fixedName, LogFormat dynamic, Function<String, Backend> lookup) {
        this.condition = condition;
        this.fixedName = fixedName;
        this.dynamic = dynamic;
        this.lookup = lookup;
    }

    /** The backend this rule chooses for {@code txn}, or {@code null} when it does not apply. */
    public Backend choose(Transaction txn) {
        if (condition != null && !condition.test(txn)) {
            return null;
        }
        if (fixedName != null) {
            // Written by any loop; every loop computes the same value, so a race only repeats the look-up.
            Backend resolved = fixed;
            if (resolved == null) {
                resolved = lookup.apply(fixedName);
                fixed = resolved;
            }
            return resolved;
        }
        return lookup.apply(dynamic.render(txn));
    }
}
