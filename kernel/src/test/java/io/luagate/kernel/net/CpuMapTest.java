package io.luagate.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each case is what HAProxy 2.6.12 did with {@code nbthread 2} (or 3), read back from
 * {@code /proc/<pid>/task/<tid>/status}: "0 0-1" is thread 1 on CPU 0 and thread 2 unbound.
 */
class CpuMapTest {

    private static String loops(int count, String... lines) {
        CpuMap map = CpuMap.parse(List.of(lines));
        StringBuilder out = new StringBuilder();
        for (int n = 1; n <= count; n++) {
            BitSet cpus = map.cpusOf(n);
            out.append(n > 1 ? " " : "").append(cpus == null ? "-" : ranges(cpus));
        }
        return out.toString();
    }

    private static String ranges(BitSet cpus) {
        int first = cpus.nextSetBit(0);
        int last = cpus.length() - 1;
        return cpus.cardinality() == last - first + 1 && first != last ? first + "-" + last : cpus.toString();
    }

    @Test
    void autoGivesEachThreadOfTheSetOneCpuInTurn() {
        assertEquals("{0} {1}", loops(2, "auto:1/1-2 0-1"));
        assertEquals("{0} {1}", loops(2, "auto:1/1-2 1 0"), "several CPU sets are joined, then taken in order");
        assertEquals("{1} {2}", loops(2, "auto:1/1-2 1-2"), "a CPU the machine lacks is left to bind time");
        assertEquals("- {1}", loops(2, "auto:1/2 1"));
        assertEquals("{0} {0}", loops(2, "auto:1 0"));
        assertEquals("{2} {2}", loops(2, "auto:1-2 2-3"), "without a thread set the process takes the first CPU");
    }

    @Test
    void aThreadSetBindsItsThreadsOnly() {
        assertEquals("- {0}", loops(2, "1/2 0"));
        assertEquals("- {1}", loops(2, "1/even 1"));
        assertEquals("{1} -", loops(2, "1/odd 1"));
        assertEquals("{1} {1} -", loops(3, "1/1-2 1"));
        assertEquals("- {1} -", loops(3, "1/2 1"));
        assertEquals("- -", loops(2, "1/3 0"), "a thread above the loops is ignored");
    }

    @Test
    void withoutAThreadSetOrWithThreadOneAloneEveryLoopIsBound() {
        assertEquals("{1} {1}", loops(2, "1 1"));
        assertEquals("{1} {1}", loops(2, "all 1"));
        assertEquals("{1} {1}", loops(2, "odd 1"));
        assertEquals("{1} {1}", loops(2, "1/all 1"));
        assertEquals("{0} {0}", loops(2, "1/1 0"), "HAProxy 2.6.12 binds every thread for 1/1");
        assertEquals("{0} {0}", loops(2, "1/1-1 0"));
        assertEquals("{1} {1} {1}", loops(3, "1/1 1"));
        assertEquals("{0} {0}", loops(2, "2/1 0"), "the process set plays no part");
        assertEquals("{0} {0}", loops(2, "1/1 0", "1/2 1"), "a loop's own CPUs outside the whole process's give way");
    }

    @Test
    void openRangesRunToTheLastCpu() {
        BitSet cpus = CpuMap.parse(List.of("1/all 0-")).cpusOf(1);
        assertEquals(1024, cpus.cardinality());
        assertEquals("{64} {64}", loops(2, "1/1 64"));
        assertEquals("1-3 1-3", loops(2, "1 3-1"), "a reversed range is read as its reverse");
        assertEquals("{1} {1}", loops(2, "1 0001"));
        assertEquals(List.of(), CpuMap.none().lines());
        assertNull(CpuMap.none().cpusOf(1));
        assertTrue(CpuMap.none().isEmpty());
    }

    @Test
    void badLinesAreRefusedWithHaproxysWords() {
        assertEquals("'auto:1/1-3 0-1': PROC/THREAD range and CPU sets must have the same size to be automatically bound",
                assertThrows(IllegalArgumentException.class, () -> CpuMap.parse(List.of("auto:1/1-3 0-1"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CpuMap.parse(List.of("auto:1 0-1")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuMap.parse(List.of("1/1 x")))
                .getMessage().contains("'x' is not a CPU range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuMap.parse(List.of("1/x 1")))
                .getMessage().contains("'x' is not a valid number/range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuMap.parse(List.of("1/0 1")))
                .getMessage().contains("from 1 to 64"));
        assertThrows(IllegalArgumentException.class, () -> CpuMap.parse(List.of("1/65 1")));
        assertThrows(IllegalArgumentException.class, () -> CpuMap.parse(List.of("1/1 1024")));
        assertThrows(IllegalArgumentException.class, () -> CpuMap.parse(List.of("1/1")));
        assertThrows(IllegalArgumentException.class, () -> CpuMap.parse(List.of("1/1 0,1")));
    }
}
