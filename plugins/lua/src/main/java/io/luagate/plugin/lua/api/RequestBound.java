package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.spi.rule.Transaction;
import org.luaj.vm2.LuaError;

/**
 * The Java side of a Lua object that stands for one request (TXN, HTTP, Channel, HTTPMessage,
 * AppletHTTP, AppletTCP; Fetches and Converters wrap the {@link Transaction} itself). Such an
 * object works only inside the Lua calls made for its own request: a script that keeps one in a
 * global or an upvalue and uses it after the request ended, from another request, from a task or
 * from another event loop gets a Lua error instead of another client's data or response. HAProxy
 * leaves that case undefined (its objects point into a freed stream).
 */
public interface RequestBound {

    /** The request this object belongs to. */
    Transaction request();

    /** Raises the error when {@code object} belongs to a request other than the one the running call works for. */
    static void checkLive(Object object, String className, String method) {
        Transaction owner = switch (object) {
            case RequestBound bound -> bound.request();
            case Transaction txn -> txn;
            default -> null;
        };
        if (owner == null) {
            return;
        }
        LuaState state = LuaState.running();
        LuaCall call = state == null ? null : state.currentCall();
        if (call == null || call.request() != owner) {
            throw new LuaError("'" + method + "': this " + className + " object belongs to a request that ended or to "
                    + "another stream (request objects work only in the Lua calls made for their own request; "
                    + "do not keep them in globals or upvalues)");
        }
    }
}
