package io.luagate.plugin.lua.engine;

/** A suspendable Java stack made by {@link Fibers#create}: run by whoever drives it, one slice at a time. */
interface Fiber {

    /**
     * Runs the stack until it ends or yields in its scope; the caller waits meanwhile. An exception
     * its body let escape is thrown here.
     *
     * @return whether the body ended
     */
    boolean run();
}
