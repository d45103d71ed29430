package io.luagate.plugin.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HumanTimeTest {

    @Test
    void twoLargestUnitsAsHaproxyPrintsThem() {
        assertEquals("0s", HumanTime.of(999));
        assertEquals("59s", HumanTime.of(59_000));
        assertEquals("1m5s", HumanTime.of(65_000));
        assertEquals("2h3m", HumanTime.of((2 * 3600 + 3 * 60 + 9) * 1000L));
        assertEquals("1d1h", HumanTime.of((86400 + 3600 + 5) * 1000L));
        assertEquals("0s", HumanTime.of(-5));
    }
}
