package io.luagate.plugin.balancer.leastconn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.testkit.LuagateUnderTest;
import io.luagate.testkit.RecordingUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** This plugin's jar in a real kernel, with the http and pool plugins, in front of real upstreams. */
class LeastConnPluginIT {

    private static String config(RecordingUpstream a, RecordingUpstream b, String balance) {
        return """
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be { balance = %s, servers { a = "%s", b = "%s" } }
                """.formatted(balance, a.address(), b.address());
    }

    @Test
    void aServerBusyWithALongRequestGetsNoShortOnes() throws Exception {
        try (RecordingUpstream a = RecordingUpstream.start("a").respondAfter(Duration.ofSeconds(2));
             RecordingUpstream b = RecordingUpstream.start("b");
             LuagateUnderTest luagate = LuagateUnderTest.start(config(a, b, "leastconn"), "http", "pool")) {
            // Both idle: the first written takes the first stream, and holds it two seconds.
            CompletableFuture<HttpResponse<String>> slow = luagate.http().sendAsync(
                    HttpRequest.newBuilder(luagate.uri("fe", "/slow")).build(), HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (a.inFlight() == 0) {
                assertTrue(System.nanoTime() < deadline, "the first request never reached a");
                Thread.sleep(5);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("b", RecordingUpstream.servedBy(luagate.get("fe", "/short" + i)));
            }
            assertEquals("a", RecordingUpstream.servedBy(slow.get(10, TimeUnit.SECONDS)));
            assertEquals(1, a.requests());
        }
    }

    @Test
    void leastconnTakesNoArgument() {
        try (RecordingUpstream a = RecordingUpstream.start("a"); RecordingUpstream b = RecordingUpstream.start("b")) {
            assertEquals(List.of(), LuagateUnderTest.check(config(a, b, "leastconn"), "http", "pool"));
            List<String> problems = LuagateUnderTest.check(config(a, b, "\"leastconn(2)\""), "http", "pool");
            assertEquals(1, problems.size(), problems.toString());
            // Line 3 of the file: the testkit writes one line of its own before the test\'s configuration.
            assertTrue(problems.get(0).endsWith("luagate.conf:3: backends.be.balance: 'leastconn' takes no argument"), problems.get(0));
        }
    }
}
