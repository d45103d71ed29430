package io.luagate.kernel.rule.conv;

import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.VarScope;
import java.util.Locale;

/**
 * A variable named in a converter's argument, like {@code txn.foo}: its scope, then a name made of
 * letters, digits, '.' and '_' (HAProxy's vars_hash_name()). Resolved once, at load.
 *
 * @param scope the scope before the first dot
 * @param name  what follows the scope's dot (the key given to {@link Transaction#var})
 */
record VarRef(VarScope scope, String name) {

    /** The variable {@code text} names, or {@code null} when it is not a valid variable name. */
    static VarRef parse(String text) {
        int dot = text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1) {
            return null;
        }
        VarScope scope = VarScope.parse(text.substring(0, dot));
        if (scope == null) {
            return null;
        }
        String name = text.substring(dot + 1);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
            if (!ok) {
                return null;
            }
        }
        return new VarRef(scope, name);
    }

    /** The variable's value in {@code txn}, or {@code null} when it is not set. */
    Object get(Transaction txn) {
        return txn.var(scope, name);
    }

    @Override
    public String toString() {
        return scope.name().toLowerCase(Locale.ROOT) + "." + name;
    }
}
