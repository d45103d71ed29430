package io.luagate.plugin.lua.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/** Numbers as text ({@code tostring}, {@code %s}, {@code table.concat}) against the real lua5.3 ({@link NumberExpected}). */
class LuaNumberTextTest {

    /**
     * Where luagate cannot give 5.3's answer; the value is ours. LuaJ has no integer subtype, so an
     * integral value in the 64-bit range prints as an integer (5.3 prints a float one with ".0" or
     * in %.14g); and LuaJ turns every -0.0 into the integer 0 when the value is made.
     */
    private static final Map<String, String[]> OVERRIDES = Map.ofEntries(
            Map.entry("tostring(-2^63)", new String[] {"s:-9223372036854775808"}),
            Map.entry("tostring(2^53)", new String[] {"s:9007199254740992"}),
            Map.entry("tostring(1e15)", new String[] {"s:1000000000000000"}),
            Map.entry("tostring(100/2)", new String[] {"s:50"}),
            Map.entry("tostring(2^31)", new String[] {"s:2147483648"}),
            // LuaJ's NaNs carry no reliable sign; we print what 5.3 prints for 0/0.
            Map.entry("tostring(-(0/0))", new String[] {"s:-nan"}),
            Map.entry("string.format('%10.4f', -0.0)", new String[] {"s:    0.0000"}),
            Map.entry("string.format('%g', -0.0)", new String[] {"s:0"}),
            // 2^63-1 has no double, and LuaJ's tables store every number field as a double (so a
            // LuaNumber subclass holding a long would not survive being math.maxinteger): the
            // largest double below 2^63 stands in for it.
            Map.entry("math.maxinteger", new String[] {"n:9223372036854774784"}),
            Map.entry("tostring(math.maxinteger)", new String[] {"s:9223372036854774784"}),
            Map.entry("math.maxinteger .. ''", new String[] {"s:9223372036854774784"}),
            Map.entry("string.format('%d|%x|%q', math.maxinteger, math.maxinteger, math.maxinteger)",
                    new String[] {"s:9223372036854774784|7ffffffffffffc00|9223372036854774784"}),
            Map.entry("math.maxinteger + 0.0 < 2^63", new String[] {"true"}),
            Map.entry("tostring(-math.maxinteger)", new String[] {"s:-9223372036854774784"}),
            Map.entry("string.unpack('j', string.pack('j', math.maxinteger))", new String[] {"n:9223372036854774784", "n:9"}),
            Map.entry("math.max(1, math.maxinteger)", new String[] {"n:9223372036854774784"}));

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
        return Arrays.stream(table).map(row -> DynamicTest.dynamicTest(row[0], () -> {
            String[] want = OVERRIDES.getOrDefault(row[0], Arrays.copyOfRange(row, 1, row.length));
            List<String> expected = new ArrayList<>(Arrays.asList(want));
            assertEquals(expected, LuaHarness.eval(LuaHarness.globals(), row[0]), row[0]);
        }));
    }

    @TestFactory
    Stream<DynamicTest> tostring() {
        return rows(NumberExpected.TOSTRING);
    }

    @TestFactory
    Stream<DynamicTest> concat() {
        return rows(NumberExpected.CONCAT);
    }

    /** math.maxinteger and its neighbours: where a double can stand in for 5.3's integers and where not. */
    @TestFactory
    Stream<DynamicTest> maxinteger() {
        return rows(NumberExpected.MAXINT);
    }

    @Test
    void everyOverrideNamesARow() {
        List<String> all = Stream.of(NumberExpected.TOSTRING, NumberExpected.CONCAT, NumberExpected.MAXINT)
                .flatMap(Arrays::stream).map(row -> row[0]).toList();
        for (String key : OVERRIDES.keySet()) {
            assertTrue(all.contains(key), key);
        }
    }

    @Test
    void formatMatchesPercentFourteenG() {
        assertEquals("0.33333333333333", NumberText.format(1.0 / 3));
        assertEquals("1e+100", NumberText.format(1e100));
        assertEquals("9.2233720368548e+18", NumberText.format(0x1p63));
        assertEquals("-inf", NumberText.format(Double.NEGATIVE_INFINITY));
        assertEquals("9223372036854774784", NumberText.format(Math.nextDown(0x1p63)));
        // A -0.0 double (which LuaJ never makes) prints as 5.3 prints the float -0.0.
        assertEquals("-0.0", NumberText.format(-0.0));
    }
}
