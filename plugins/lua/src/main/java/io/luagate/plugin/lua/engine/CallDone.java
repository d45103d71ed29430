package io.luagate.plugin.lua.engine;

import org.luaj.vm2.Varargs;

/**
 * {@code core.done()} and {@code txn:done()}: ends the running call from any depth with these
 * values. An Error so that no {@code pcall} on the way stops it.
 */
public final class CallDone extends Error {

    private final transient Varargs values;

    public CallDone(Varargs values) {
        super(null, null, false, false);
        this.values = values;
    }

    public Varargs values() {
        return values;
    }
}
