package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.VarScope;
import org.luaj.vm2.LuaValue;

/**
 * What a TXN object stands for: one stream seen from one Lua state, in one direction.
 *
 * @param response whether the call runs on the response side ({@code http-response}): the
 *                 request methods of {@code txn.http} are refused there and the other way round
 */
public record TxnContext(LuaState state, Transaction txn, boolean response, LuaCall call) {

    /** The stream's private Lua value of this state ({@code txn:set_priv}), kept in a variable rules cannot name. */
    LuaValue priv() {
        Object value = txn.var(VarScope.TXN, privName());
        return value instanceof LuaValue lua ? lua : LuaValue.NIL;
    }

    void priv(LuaValue value) {
        txn.setVar(VarScope.TXN, privName(), value.isnil() ? null : value);
    }

    private String privName() {
        return "\0lua.priv." + state.thread();
    }

    /** Whether an action or service answered through {@code txn:done(reply)} / {@code txn:reply}. */
    public boolean answered() {
        return Boolean.TRUE.equals(txn.var(VarScope.TXN, "\0lua.answered"));
    }

    void markAnswered() {
        txn.setVar(VarScope.TXN, "\0lua.answered", Boolean.TRUE);
    }
}
