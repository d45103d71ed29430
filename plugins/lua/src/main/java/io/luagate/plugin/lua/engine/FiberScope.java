package io.luagate.plugin.lua.engine;

/** How far a yield suspends: a whole Lua call, or the innermost Lua coroutine. */
enum FiberScope {
    /** One Lua call: sleeps, I/O waits and forced yields suspend up to here, coroutines included. */
    CALL,
    /** One Lua coroutine (nested in a call): {@code coroutine.yield} suspends up to here. */
    COROUTINE
}
