package io.luagate.plugin.lua.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Both {@link Fibers} behave alike: the thread fallback must be a drop-in for continuations. */
class FibersTest {

    private static final ThreadLocal<String> LOCAL = new ThreadLocal<>();

    static {
        FiberLocals.carry(LOCAL);
    }

    static Stream<Fibers> implementations() {
        return ContinuationFibers.unavailable() == null
                ? Stream.of(new ContinuationFibers(), new ThreadFibers())
                : Stream.of(new ThreadFibers());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void aFiberRunsSliceBySliceAndOnlyOneStackRunsAtATime(Fibers fibers) {
        List<String> trace = new ArrayList<>();
        Fiber fiber = fibers.create(FiberScope.CALL, () -> {
            trace.add("a");
            fibers.yield(FiberScope.CALL);
            trace.add("b");
            fibers.yield(FiberScope.CALL);
            trace.add("c");
        });
        assertFalse(fiber.run());
        trace.add("1");
        assertFalse(fiber.run());
        trace.add("2");
        assertTrue(fiber.run());
        assertEquals(List.of("a", "1", "b", "2", "c"), trace);
        assertThrows(IllegalStateException.class, fiber::run);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void aCallScopeYieldInsideACoroutineSuspendsTheWholeCallAndResumesWhereItWas(Fibers fibers) {
        List<String> trace = new ArrayList<>();
        Fiber call = fibers.create(FiberScope.CALL, () -> {
            Fiber coroutine = fibers.create(FiberScope.COROUTINE, () -> {
                trace.add("co1");
                fibers.yield(FiberScope.COROUTINE);
                trace.add("co2");
                // A sleep inside the coroutine: the whole call goes back to its driver.
                fibers.yield(FiberScope.CALL);
                trace.add("co3");
                fibers.yield(FiberScope.COROUTINE);
                trace.add("co4");
            });
            assertFalse(coroutine.run());
            trace.add("resumer1");
            assertFalse(coroutine.run());
            trace.add("resumer2");
            assertTrue(coroutine.run());
            trace.add("resumer3");
        });
        assertFalse(call.run());
        trace.add("loop");
        assertTrue(call.run());
        assertEquals(List.of("co1", "resumer1", "co2", "loop", "co3", "resumer2", "co4", "resumer3"), trace);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void carriedThreadLocalsLookAsIfEverythingRanOnTheDriversThread(Fibers fibers) {
        List<String> seen = new ArrayList<>();
        Fiber call = fibers.create(FiberScope.CALL, () -> {
            seen.add(LOCAL.get());
            LOCAL.set("set by the call");
            Fiber coroutine = fibers.create(FiberScope.COROUTINE, () -> {
                seen.add(LOCAL.get());
                LOCAL.set("set by the coroutine");
                fibers.yield(FiberScope.CALL);
                seen.add(LOCAL.get());
            });
            coroutine.run();
            seen.add(LOCAL.get());
        });
        LOCAL.set("set by the loop");
        try {
            call.run();
            seen.add(LOCAL.get());
            LOCAL.set("set by the loop again");
            call.run();
            seen.add(LOCAL.get());
        } finally {
            LOCAL.remove();
        }
        assertEquals(List.of("set by the loop", "set by the call", "set by the coroutine", "set by the loop again",
                "set by the loop again", "set by the loop again"), seen);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void onCarrierRunsOnTheDriversThreadWhileTheStackWaits(Fibers fibers) {
        Thread driver = Thread.currentThread();
        Thread[] ranOn = new Thread[2];
        Fiber call = fibers.create(FiberScope.CALL, () -> {
            Fiber coroutine = fibers.create(FiberScope.COROUTINE, () -> fibers.onCarrier(() -> ranOn[0] = Thread.currentThread()));
            coroutine.run();
            fibers.onCarrier(() -> ranOn[1] = Thread.currentThread());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fibers.onCarrier(() -> {
                        throw new IllegalArgumentException("thrown on the loop");
                    }));
            assertEquals("thrown on the loop", e.getMessage());
        });
        assertTrue(call.run());
        assertSame(driver, ranOn[0]);
        assertSame(driver, ranOn[1]);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void whatTheBodyThrowsComesOutOfRunAndYieldingOutsideAFiberFails(Fibers fibers) {
        Fiber fiber = fibers.create(FiberScope.CALL, () -> {
            throw new IllegalArgumentException("escaped");
        });
        assertEquals("escaped", assertThrows(IllegalArgumentException.class, fiber::run).getMessage());
        assertThrows(IllegalStateException.class, () -> fibers.yield(FiberScope.CALL));
        Fiber coroutine = fibers.create(FiberScope.COROUTINE, () -> fibers.yield(FiberScope.CALL));
        assertThrows(IllegalStateException.class, coroutine::run);
    }

    @Test
    void autoTakesContinuationsWhenOpenElseThreads() {
        Fibers chosen = SuspensionMode.AUTO.select();
        if ("thread".equals(System.getProperty("luagate.test.suspension"))) {
            // The build's second test run leaves out --add-exports: the fallback must be taken.
            assertInstanceOf(ThreadFibers.class, chosen);
            IllegalStateException e = assertThrows(IllegalStateException.class, SuspensionMode.CONTINUATION::select);
            assertTrue(e.getMessage().contains("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED"), e.getMessage());
            assertEquals(e.getMessage(), SuspensionMode.CONTINUATION.unavailable());
        } else {
            assertInstanceOf(ContinuationFibers.class, chosen);
            assertEquals(null, SuspensionMode.CONTINUATION.unavailable());
        }
        assertEquals(null, SuspensionMode.AUTO.unavailable());
        assertInstanceOf(ThreadFibers.class, SuspensionMode.THREAD.select());
        assertEquals(SuspensionMode.THREAD, SuspensionMode.parse(" Thread"));
        assertThrows(IllegalArgumentException.class, () -> SuspensionMode.parse("green"));
    }
}
