package io.luagate.plugin.balancer.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.testkit.LuagateUnderTest;
import io.luagate.testkit.RecordingUpstream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** This plugin's jar in a real kernel, with the http and pool plugins, in front of real upstreams. */
class RandomPluginIT {

    private static String config(RecordingUpstream a, RecordingUpstream b, String balance) {
        return """
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be { balance = "%s", servers { a = { address = "%s", weight = 1 }, b = { address = "%s", weight = 4 } } }
                """.formatted(balance, a.address(), b.address());
    }

    @Test
    void oneDrawFollowsTheWeights() {
        try (RecordingUpstream a = RecordingUpstream.start("a");
             RecordingUpstream b = RecordingUpstream.start("b");
             LuagateUnderTest luagate = LuagateUnderTest.start(config(a, b, "random(1)"), "http", "pool")) {
            Map<String, Integer> counts = new TreeMap<>();
            for (int i = 0; i < 300; i++) {
                counts.merge(RecordingUpstream.servedBy(luagate.get("fe", "/" + i)), 1, Integer::sum);
            }
            // b weighs 4 of 5: 240 expected; the bounds are far beyond chance.
            assertTrue(counts.get("b") > 200 && counts.get("b") < 280, counts.toString());
        }
    }

    @Test
    void theNumberOfDrawsIsChecked() {
        try (RecordingUpstream a = RecordingUpstream.start("a"); RecordingUpstream b = RecordingUpstream.start("b")) {
            assertEquals(List.of(), LuagateUnderTest.check(config(a, b, "random"), "http", "pool"));
            assertEquals(List.of(), LuagateUnderTest.check(config(a, b, "random(3)"), "http", "pool"));
            List<String> problems = LuagateUnderTest.check(config(a, b, "random(x)"), "http", "pool");
            assertEquals(1, problems.size(), problems.toString());
            // Line 3 of the file: the testkit writes one line of its own before the test\'s configuration.
            assertTrue(problems.get(0).endsWith("luagate.conf:3: backends.be.balance: random: the number of draws must be an integer, not 'x'"),
                    problems.get(0));
        }
    }
}
