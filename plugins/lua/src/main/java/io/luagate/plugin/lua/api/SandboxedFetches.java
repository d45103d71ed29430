package io.luagate.plugin.lua.api;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Sample fetches that {@code txn.f} must not offer a script although rules may use them: {@code env}
 * reads the process environment, which the sandbox keeps from scripts once init is over
 * ({@code os.getenv} is refused then), and TXN objects exist only then. A script reads what it
 * needs from the environment in its body or an init function, as with {@code os.getenv}.
 */
final class SandboxedFetches {

    private SandboxedFetches() {
    }

    static void apply(SampleBridge bridge) {
        VarArgFunction refused = new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                throw new LuaError("env is not allowed at run time (it reads the environment, as os.getenv does: "
                        + "read the environment at init instead)");
            }
        };
        for (LuaClass fetches : new LuaClass[] {bridge.fetchClass, bridge.stringFetchClass, bridge.serviceFetchClass,
                bridge.serviceStringFetchClass}) {
            if (!fetches.methods.rawget("env").isnil()) {
                fetches.methods.rawset("env", refused);
            }
        }
    }
}
