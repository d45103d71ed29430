package io.luagate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.ResourceLeakDetector;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The testkit as a plugin's tests use it, with the shipped balancer-roundrobin plugin's packaged jar
 * in the role of the plugin under test (this module's build hands it over as a plugin's build does).
 */
class LuagateUnderTestIT {

    private static String twoServers(RecordingUpstream a, RecordingUpstream b, String balance) {
        return """
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be { balance = %s, servers { a = "%s", b = "%s" } }
                """.formatted(balance, a.address(), b.address());
    }

    @Test
    void proxiesThroughThePluginUnderTestToRealUpstreams() {
        try (RecordingUpstream a = RecordingUpstream.start("a");
             RecordingUpstream b = RecordingUpstream.start("b");
             LuagateUnderTest luagate = LuagateUnderTest.start(twoServers(a, b, "roundrobin"), "http", "pool")) {
            Map<String, Integer> servedBy = new TreeMap<>();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = luagate.get("fe", "/n" + i);
                assertEquals(200, response.statusCode());
                assertEquals(RecordingUpstream.servedBy(response), response.body());
                servedBy.merge(RecordingUpstream.servedBy(response), 1, Integer::sum);
            }
            assertEquals(Map.of("a", 3, "b", 3), servedBy);
            assertEquals(3, a.requests());
            assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
        }
    }

    @Test
    void upstreamRecordsWhatItReceived() {
        try (RecordingUpstream a = RecordingUpstream.start("a");
             LuagateUnderTest luagate = LuagateUnderTest.start("""
                     frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                     backends.be { servers { a = "%s" } }
                     """.formatted(a.address()), "http", "pool")) {
            luagate.get("fe", "/hello?x=1", "x-test", "42");
            RecordedRequest received = a.received().get(0);
            assertEquals("GET", received.method());
            assertEquals("/hello?x=1", received.target());
            assertEquals("42", received.header("X-Test"));
        }
    }

    @Test
    void checkReportsWhatLuagateRefuses() {
        try (RecordingUpstream a = RecordingUpstream.start("a");
             RecordingUpstream b = RecordingUpstream.start("b")) {
            assertEquals(List.of(), LuagateUnderTest.check(twoServers(a, b, "roundrobin"), "http", "pool"));
            List<String> problems = LuagateUnderTest.check(twoServers(a, b, "no-such-algorithm"), "http", "pool");
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).contains("no-such-algorithm"), problems.toString());
        }
    }

    @Test
    void anUnknownPluginIdNamesThoseAvailable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LuagateUnderTest.start("frontends {}", "htttp"));
        assertTrue(e.getMessage().contains("no plugin 'htttp'") && e.getMessage().contains("http, lua, pool"), e.getMessage());
    }
}
