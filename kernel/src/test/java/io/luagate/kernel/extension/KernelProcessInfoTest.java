package io.luagate.kernel.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class KernelProcessInfoTest {

    @Test
    void describesThisProcess() {
        AtomicBoolean stopping = new AtomicBoolean();
        KernelProcessInfo info = new KernelProcessInfo(3, 1234, Map::of, stopping::get);
        assertEquals(ProcessHandle.current().pid(), info.pid());
        assertEquals(3, info.threads());
        assertEquals(1234, info.maxConnections());
        assertTrue(info.startTime().toEpochMilli() <= System.currentTimeMillis());
        assertTrue(info.uptimeMillis() >= 0);
        assertEquals(0, info.currentConnections());
        assertEquals(0, info.totalConnections());
        assertEquals(0, info.totalRequests());
        assertFalse(info.version().isEmpty());
        assertFalse(info.stopping());
        stopping.set(true);
        assertTrue(info.stopping());
    }
}
