package io.luagate.plugin.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.health.CheckResult;
import io.luagate.spi.health.CheckStatus;
import io.luagate.spi.health.HttpCheck;
import io.luagate.spi.health.HttpCheckExpect;
import io.luagate.spi.health.HttpCheckExpect.Kind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpectRulesTest {

    private static CheckResponse response(String raw) {
        byte[] data = raw.getBytes(StandardCharsets.ISO_8859_1);
        return CheckResponse.parse(data, CheckResponse.headEnd(data, data.length), data.length);
    }

    private static HttpCheckExpect expect(Kind kind, boolean negated, String pattern) {
        return new HttpCheckExpect(kind, negated, pattern, "test:1");
    }

    @Test
    void withoutRulesA2xxOr3xxPasses() {
        ExpectRules rules = new ExpectRules(List.of());
        assertFalse(rules.needsBody());
        CheckResult ok = rules.evaluate(response("HTTP/1.1 302 Found\r\n\r\n"), 3);
        assertEquals(CheckStatus.L7OK, ok.status());
        assertEquals(302, ok.code());
        assertEquals("", ok.info());
        CheckResult bad = rules.evaluate(response("HTTP/1.0 500 Internal Server Error\r\n\r\n"), 3);
        assertEquals(new CheckResult(CheckStatus.L7STS, 500, "Internal Server Error", 3), bad);
    }

    @Test
    void statusListsRangesRegexesAndNegation() {
        assertEquals(CheckStatus.L7OK, new ExpectRules(List.of(expect(Kind.STATUS, false, "200,301-302")))
                .evaluate(response("HTTP/1.1 301 Moved\r\n\r\n"), 0).status());
        assertEquals(CheckStatus.L7STS, new ExpectRules(List.of(expect(Kind.STATUS, false, "200")))
                .evaluate(response("HTTP/1.1 204 No Content\r\n\r\n"), 0).status());
        assertEquals(CheckStatus.L7OK, new ExpectRules(List.of(expect(Kind.RSTATUS, false, "^2")))
                .evaluate(response("HTTP/1.1 204 No Content\r\n\r\n"), 0).status());
        assertEquals(CheckStatus.L7STS, new ExpectRules(List.of(expect(Kind.STATUS, true, "200-299")))
                .evaluate(response("HTTP/1.1 204 No Content\r\n\r\n"), 0).status());
    }

    @Test
    void bodyRulesReadTheBodyAndFailAsL7rsp() {
        ExpectRules rules = new ExpectRules(List.of(expect(Kind.STATUS, false, "200"), expect(Kind.STRING, false, "ready")));
        assertTrue(rules.needsBody());
        assertEquals(CheckStatus.L7OK, rules.evaluate(response("HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nall ready"), 0).status());
        CheckResult miss = rules.evaluate(response("HTTP/1.1 200 OK\r\n\r\nstarting"), 0);
        assertEquals(new CheckResult(CheckStatus.L7RSP, 0, "HTTP content check did not match", 0), miss);
        assertEquals(CheckStatus.L7STS, rules.evaluate(response("HTTP/1.1 503 Busy\r\n\r\nready"), 0).status(),
                "rules run in order: the status first");
        assertEquals(CheckStatus.L7OK, new ExpectRules(List.of(expect(Kind.RSTRING, false, "up|ready")))
                .evaluate(response("HTTP/1.1 200 OK\r\n\r\nsystem up"), 0).status());
        assertEquals(CheckStatus.L7RSP, new ExpectRules(List.of(expect(Kind.STRING, true, "maintenance")))
                .evaluate(response("HTTP/1.1 200 OK\r\n\r\nin maintenance"), 0).status());
    }

    @Test
    void aResponseThatIsNotHttpIsL7rsp() {
        CheckResult result = new ExpectRules(List.of()).evaluate(response("SSH-2.0-OpenSSH\r\n\r\n"), 1);
        assertEquals(CheckStatus.L7RSP, result.status());
        assertEquals(-1, response("HTTP/1.1 2x0 OK\r\n\r\n").status());
        assertEquals(-1, response("HTTP/1.1 2000 OK\r\n\r\n").status());
    }

    @Test
    void theRequestIsHaproxysBytes() {
        HttpCheck http11 = new HttpCheck("GET", "/health", "HTTP/1.1", List.of(Map.entry("Host", "example.com")), "", List.of());
        assertEquals("GET /health HTTP/1.1\r\nhost: example.com\r\nconnection: close\r\n\r\n",
                new String(new HttpCheckRequest(http11).bytes(), StandardCharsets.ISO_8859_1));
        // Names are written in lower case, as HAProxy writes them; the reader takes tokens only
        // (HealthCheckReader refuses X-É), so A-Z are all there is to fold.
        HttpCheck mixed = new HttpCheck("GET", "/", "HTTP/1.0", List.of(Map.entry("X-Trace-ID", "v")), "", List.of());
        assertEquals("GET / HTTP/1.0\r\nx-trace-id: v\r\n\r\n", new String(new HttpCheckRequest(mixed).bytes(), StandardCharsets.ISO_8859_1));
        HttpCheck http10 = new HttpCheck("OPTIONS", "/", "HTTP/1.0", List.of(), "", List.of());
        assertEquals("OPTIONS / HTTP/1.0\r\n\r\n", new String(new HttpCheckRequest(http10).bytes(), StandardCharsets.ISO_8859_1));
        HttpCheck post = new HttpCheck("POST", "/c", "HTTP/1.0", List.of(), "ping", List.of());
        assertEquals("POST /c HTTP/1.0\r\ncontent-length: 4\r\n\r\nping",
                new String(new HttpCheckRequest(post).bytes(), StandardCharsets.ISO_8859_1));
    }
}
