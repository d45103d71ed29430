package io.luagate.plugin.lua.engine;

import io.luagate.plugin.lua.lib.HeapBudget;
import io.luagate.plugin.lua.lib.NumberConcat;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * The instruction hook of one Lua state, installed as {@code globals.debuglib} without exposing a
 * {@code debug} library: LuaJ calls it before every instruction, and every {@code forced-yield}
 * instructions it lets the running call check its limits and yield. About 1% on call-heavy code,
 * against 4.6x for {@code debug.sethook} (measured on fib(27) when the engine was designed).
 */
final class LuaHook extends DebugLib {

    private final int forcedYield;
    private int countdown;
    /** The call running in this state now; set by {@link LuaCall} on every entry and exit. */
    LuaCall current;
    /** The frames being pushed: the current call's, or one of its coroutines'. */
    CallFrames frames = new CallFrames();
    /** Whether init code running outside any call is bounded now, and until when ({@link System#nanoTime()}). */
    private boolean initBounded;
    private long initDeadline;

    LuaHook(int forcedYield) {
        this.forcedYield = forcedYield;
        this.countdown = forcedYield;
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        CallFrames f = frames;
        f.pc(pc);
        int[] code = f.code;
        // The frames follow LuaJ's onCall/onReturn pairs (both in finally blocks), so code and stack are the running closure's.
        if (code != null && pc < code.length) {
            int instruction = code[pc];
            if (NumberConcat.isConcat(instruction)) {
                if (HeapBudget.over()) {
                    // A concatenation builds its result in one step, out of the budget's sight.
                    throw new LuaError(HeapBudget.refused());
                }
                NumberConcat.prepare(f.stack, instruction);
            } else if (VmErrors.isTailCall(instruction)) {
                VmErrors.checkTailCall(f.stack, instruction);
            }
        }
        if (--countdown > 0) {
            return;
        }
        countdown = forcedYield;
        LuaCall call = current;
        if (call != null) {
            call.tick();
        } else if (initBounded && System.nanoTime() - initDeadline > 0) {
            // The place now: the frames unwind before anyone catches this.
            throw new LuaAbort(frames.where() + ": execution timeout (burst-timeout: init code ran without a break for too long)");
        }
    }

    /**
     * Bounds the script bodies and init functions by {@code lua.burst-timeout}, which run outside
     * any call: an endless loop there would hang the start (and {@code luagate check}) forever.
     * 0 = no bound.
     */
    void initDeadline(long burstNanos) {
        initBounded = burstNanos > 0;
        initDeadline = System.nanoTime() + burstNanos;
    }

    void clearInitDeadline() {
        initBounded = false;
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
        frames.push(c.p, stack);
    }

    @Override
    public void onCall(LuaFunction f) {
        frames.push(null, null);
    }

    @Override
    public void onReturn() {
        frames.pop();
    }

    @Override
    public String traceback(int level) {
        return frames.traceback();
    }
}
