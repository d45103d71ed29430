package io.luagate.plugin.runtimeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.luagate.testkit.BalancedServer;
import org.junit.jupiter.api.Test;

/** HAProxy's weight texts (server_parse_weight_change_request), read from HAProxy 2.6.12. */
class ServerCommandsTest {

    private static String weight(BalancedServer server, String text) {
        try {
            return ServerCommands.weight(server, text);
        } catch (CliError e) {
            return e.getMessage();
        }
    }

    @Test
    void absoluteAndRelativeWeights() {
        BalancedServer server = new BalancedServer("a", 50);
        assertEquals("", weight(server, "20"));
        assertEquals(20, server.weight());
        assertEquals("", weight(server, "50%"));
        assertEquals(25, server.weight(), "relative to the initial weight");
        assertEquals("", weight(server, "1000%"));
        assertEquals(256, server.weight(), "capped at 256");
        assertEquals("", weight(server, "0"));
        assertEquals(0, server.weight());
        BalancedServer one = new BalancedServer("b", 1);
        assertEquals("", weight(one, "50%"));
        assertEquals(0, one.weight(), "(haproxy) 50% of 1 is 0");
    }

    @Test
    void refusedWeightsKeepTheWeightAndAnswerAsHaproxy() {
        BalancedServer server = new BalancedServer("a", 10);
        assertEquals("Absolute weight can only be between 0 and 256 inclusive.\n", weight(server, "300"));
        assertEquals("Absolute weight can only be between 0 and 256 inclusive.\n", weight(server, "-1"));
        assertEquals("Empty weight string empty or preceded by garbage", weight(server, "abc"));
        assertEquals("Trailing garbage in weight string", weight(server, "12x"));
        assertEquals("Relative weight must be positive.\n", weight(server, "-5%"));
        assertEquals("Require <weight> or <weight%>.\n", weight(server, ""));
        assertEquals(10, server.weight());
    }

    @Test
    void addressesAreIpLiteralsOnly() {
        assertEquals("127.0.0.2", ServerCommands.ipLiteral("127.0.0.2").getHostAddress());
        assertEquals("0:0:0:0:0:0:0:1", ServerCommands.ipLiteral("::1").getHostAddress());
        assertNull(ServerCommands.ipLiteral("localhost"));
        assertNull(ServerCommands.ipLiteral("256.1.1.1"));
        assertNull(ServerCommands.ipLiteral("1.2.3"));
    }

    @Test
    void theStatHeaderHasHaproxysColumns() {
        // (haproxy) 128 names, each followed by a comma, in the header and in every row.
        assertEquals(128, StatCsv.columns());
        assertEquals(128, new StatCsv.Row().toString().chars().filter(c -> c == ',').count(),
                "every cell is followed by a comma, as in HAProxy's rows");
    }
}
