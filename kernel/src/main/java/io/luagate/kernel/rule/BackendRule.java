package io.luagate.kernel.rule;

import io.luagate.kernel.rule.acl.Condition;
import io.luagate.kernel.rule.expr.LogFormat;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.rule.Transaction;
import java.util.function.Function;

/**
 * One {@code use-backend} rule: a backend named statically (checked at load, resolved on first
 * use because backends and rules are built together) or by a log-format ({@code %[var(req.be)]},
 * looked up per request), and an optional condition. As in HAProxy, the first rule whose condition
 * holds decides: a dynamic name that names no backend means the default backend, not the next rule.
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

    /** Whether this rule's condition holds (a rule without one always applies). */
    public boolean applies(Transaction txn) {
        return condition == null || condition.test(txn);
    }

    /** The backend this rule names for {@code txn}, or {@code null} when the name is unknown. */
    public Backend target(Transaction txn) {
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
