package io.luagate.plugin.lua.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/** Our Lua 5.3 pattern functions against values from the real lua5.3 ({@link PatternExpected}). */
class LuaPatternTest {

    private static LuaValue savedStringMetatable;

    @BeforeAll
    static void saveStatics() {
        savedStringMetatable = LuaString.s_metatable;
    }

    @AfterAll
    static void restoreStatics() {
        LuaString.s_metatable = savedStringMetatable;
    }

    private static Stream<DynamicTest> rows(String[][] table) {
        assertTrue(table.length >= 10, "at least 10 cases per function");
        return Arrays.stream(table).map(row -> DynamicTest.dynamicTest(row[0], () -> {
            List<String> expected = new ArrayList<>(Arrays.asList(row).subList(1, row.length));
            assertEquals(expected, LuaHarness.eval(LuaHarness.globals(), row[0]), row[0]);
        }));
    }

    @TestFactory
    Stream<DynamicTest> find() {
        return rows(PatternExpected.FIND);
    }

    @TestFactory
    Stream<DynamicTest> match() {
        return rows(PatternExpected.MATCH);
    }

    @TestFactory
    Stream<DynamicTest> gmatch() {
        return rows(PatternExpected.GMATCH);
    }

    @TestFactory
    Stream<DynamicTest> gsub() {
        return rows(PatternExpected.GSUB);
    }

    @Test
    void aBacktrackingMatchChecksItsLimitsWhileItRuns() {
        Globals g = LuaHarness.globals();
        AtomicInteger checks = new AtomicInteger();
        Lua53Library.install(g, () -> {
            if (checks.incrementAndGet() == 50) {
                throw new LuaError("limit reached");
            }
        });
        LuaError e = assertThrows(LuaError.class, () -> LuaHarness.run(g, "return ('a'):rep(1e5):find('.-.-.-b')"));
        assertTrue(e.getMessage().contains("limit reached"), e.getMessage());
        assertEquals(50, checks.get());
        // A cheap match ends before the first check.
        checks.set(0);
        assertEquals("6", LuaHarness.run(g, "return (('a'):rep(10) .. 'b'):find('.-b', 6)").arg1().tojstring());
        assertEquals(0, checks.get());
    }
}
