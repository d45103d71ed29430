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
public record TxnContext(LuaState state, Transaction txn, boolean response, LuaCall call) implements RequestBound {

    @Override
    public Transaction request() {
        return txn;
    }

    /**
     * The context of an action, fetch, converter or filter called on a stream: from now on the
     * stream has a Lua context in this state (HAProxy's {@code s->hlua}), which the services it is
     * handed to see ({@link #hasContext}).
     */
    public static TxnContext onStream(LuaState state, Transaction txn, boolean response, LuaCall call) {
        if (txn.var(VarScope.TXN, contextName(state)) == null) {
            txn.setVar(VarScope.TXN, contextName(state), Boolean.TRUE);
        }
        return new TxnContext(state, txn, response, call);
    }

    /** Whether Lua ran on the stream of {@code txn} in {@code state} (an action, fetch, converter or filter). */
    static boolean hasContext(Transaction txn, LuaState state) {
        return txn.var(VarScope.TXN, contextName(state)) != null;
    }

    private static String contextName(LuaState state) {
        return "\0lua.ctx." + state.thread();
    }

    /** The stream's private Lua value of this state ({@code txn:set_priv}), kept in a variable rules cannot name. */
    LuaValue priv() {
        return priv(txn, state);
    }

    void priv(LuaValue value) {
        priv(txn, state, value);
    }

    /**
     * The stream's private value for {@code state}: shared by its actions and the service they
     * hand the stream to, whose {@code get_priv()} starts with what the actions set, as in HAProxy.
     */
    static LuaValue priv(Transaction txn, LuaState state) {
        Object value = txn.var(VarScope.TXN, privName(state));
        return value instanceof LuaValue lua ? lua : LuaValue.NIL;
    }

    static void priv(Transaction txn, LuaState state, LuaValue value) {
        txn.setVar(VarScope.TXN, privName(state), value.isnil() ? null : value);
    }

    private static String privName(LuaState state) {
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
