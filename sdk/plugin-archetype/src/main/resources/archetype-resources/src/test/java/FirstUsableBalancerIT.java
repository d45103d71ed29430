package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.testkit.LuagateUnderTest;
import io.luagate.testkit.RecordingUpstream;
import org.junit.jupiter.api.Test;

/**
 * The plugin as it runs: its built jar in a real luagate's plugins directory next to the shipped
 * http and pool plugins, requests over real sockets to real upstream servers on 127.0.0.1.
 * Run by {@code mvn verify} (failsafe, after the jar is built); a ByteBuf leak fails the test.
 */
class FirstUsableBalancerIT {

    private static String config(RecordingUpstream a, RecordingUpstream b, String aKeys) {
        return """
                frontends.fe { bind = ["127.0.0.1:0"], default-backend = be }
                backends.be {
                  balance = ${algorithm}
                  servers {
                    a { address = "%s" %s }
                    b { address = "%s" }
                  }
                }
                """.formatted(a.address(), aKeys, b.address());
    }

    @Test
    void everyRequestGoesToTheFirstServer() {
        try (RecordingUpstream a = RecordingUpstream.start("a");
             RecordingUpstream b = RecordingUpstream.start("b");
             LuagateUnderTest luagate = LuagateUnderTest.start(config(a, b, ""), "http", "pool")) {
            for (int i = 0; i < 5; i++) {
                var response = luagate.get("fe", "/" + i);
                assertEquals(200, response.statusCode());
                assertEquals("a", RecordingUpstream.servedBy(response));
            }
            assertEquals(5, a.requests());
            assertEquals(0, b.requests());
        }
    }

    @Test
    void aServerOfWeightZeroIsPassedOver() {
        try (RecordingUpstream a = RecordingUpstream.start("a");
             RecordingUpstream b = RecordingUpstream.start("b");
             LuagateUnderTest luagate = LuagateUnderTest.start(config(a, b, ", weight = 0"), "http", "pool")) {
            assertEquals("b", RecordingUpstream.servedBy(luagate.get("fe", "/")));
            assertEquals(0, a.requests());
        }
    }

    @Test
    void aConfigurationUsingTheAlgorithmIsValid() {
        try (RecordingUpstream a = RecordingUpstream.start("a");
             RecordingUpstream b = RecordingUpstream.start("b")) {
            assertEquals(java.util.List.of(), LuagateUnderTest.check(config(a, b, ""), "http", "pool"));
        }
    }
}
