package io.luagate.plugin.balancer.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.testkit.LuagateUnderTest;
import io.luagate.testkit.RecordingUpstream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** This plugin's jar in a real kernel, with the http and pool plugins, in front of real upstreams. */
class HashPluginIT {

    private static String config(RecordingUpstream a, RecordingUpstream b, RecordingUpstream c, String keys) {
        return """
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be { %s, servers { a = "%s", b = "%s", c = "%s" } }
                """.formatted(keys, a.address(), b.address(), c.address());
    }

    @Test
    void consistentHashingOfAHeaderPicksWhatHaproxyPicks() {
        try (RecordingUpstream a = RecordingUpstream.start("a");
             RecordingUpstream b = RecordingUpstream.start("b");
             RecordingUpstream c = RecordingUpstream.start("c");
             LuagateUnderTest luagate = LuagateUnderTest.start(
                     config(a, b, c, "balance = \"hdr(x-user)\", hash-type = consistent"), "http", "pool")) {
            StringBuilder picks = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                picks.append(RecordingUpstream.servedBy(luagate.get("fe", "/", "x-user", "user" + i)));
            }
            // HAProxy 2.6.12 with "balance hdr(x-user)" and "hash-type consistent", servers a, b, c.
            assertEquals("abbcaacabacccbcacbabbccbacccca", picks.toString());
        }
    }

    @Test
    void theKeyAndTheHashingOptionsAreChecked() {
        try (RecordingUpstream a = RecordingUpstream.start("a");
             RecordingUpstream b = RecordingUpstream.start("b");
             RecordingUpstream c = RecordingUpstream.start("c")) {
            assertEquals(List.of(), LuagateUnderTest.check(config(a, b, c, "balance = \"hash path,lower\""), "http", "pool"));
            assertEquals(List.of(), LuagateUnderTest.check(config(a, b, c, "balance = source, hash-type = consistent, hash-balance-factor = 150"),
                    "http", "pool"));
            List<String> problems = LuagateUnderTest.check(config(a, b, c, "balance = hash"), "http", "pool");
            assertEquals(1, problems.size(), problems.toString());
            // Line 3 of the file: the testkit writes one line of its own before the test\'s configuration.
            assertTrue(problems.get(0).endsWith("luagate.conf:3: backends.be.balance: hash requires a sample expression: \"hash req.hdr(x-user)\""),
                    problems.get(0));
        }
    }
}
