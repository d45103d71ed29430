package io.luagate.kernel.rule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import io.luagate.spi.rule.HttpReply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleCompilerTest {

    @TempDir
    Path home;

    private HttpReply reply(String rule) throws RuleSyntaxException {
        return ((ReturnAction) new RuleCompiler(home).compile(rule)).reply();
    }

    @Test
    void returnWithStatusTypeBodyAndHeaders() throws RuleSyntaxException {
        HttpReply reply = reply("return status 404 content-type \"text/plain\" string \"no\\n\" hdr X-A 1 hdr X-B \"two words\"");
        assertEquals(404, reply.status());
        assertEquals(List.of(new HttpReply.Header("content-type", "text/plain"), new HttpReply.Header("X-A", "1"),
                new HttpReply.Header("X-B", "two words")), reply.headers());
        assertArrayEquals("no\n".getBytes(StandardCharsets.UTF_8), reply.body());
    }

    @Test
    void returnWithoutBodyGivesTheErrorPageOfItsStatus() throws RuleSyntaxException {
        HttpReply reply = reply("return status 503");
        assertEquals(503, reply.status());
        assertEquals("<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n",
                new String(reply.body(), StandardCharsets.UTF_8));
        assertEquals(200, reply("return").status());
    }

    @Test
    void returnFileIsReadAtLoad() throws Exception {
        Files.writeString(home.resolve("page.html"), "<p>hi</p>");
        assertEquals("<p>hi</p>", new String(reply("return content-type text/html file page.html").body(), StandardCharsets.UTF_8));
    }

    @Test
    void denyUsesHaproxysPages() throws RuleSyntaxException {
        assertEquals(403, reply("deny").status());
        assertTrue(new String(reply("deny").body(), StandardCharsets.UTF_8).contains("Request forbidden by administrative rules."));
        assertEquals(429, reply("deny deny_status 429").status());
    }

    @Test
    void errorsNameTheColumn() {
        RuleCompiler compiler = new RuleCompiler(home);
        assertEquals(1, assertThrows(RuleSyntaxException.class, () -> compiler.compile("redirect location /")).column());
        assertEquals(15, assertThrows(RuleSyntaxException.class, () -> compiler.compile("return status abc")).column());
        assertEquals(8, assertThrows(RuleSyntaxException.class, () -> compiler.compile("return status")).column());
        assertEquals(6, assertThrows(RuleSyntaxException.class, () -> compiler.compile("deny if { path_beg /x }")).column());
        assertEquals(8, assertThrows(RuleSyntaxException.class, () -> compiler.compile("return file missing.html")).column() - 5);
    }

    @Test
    void compileReportsEveryBadRuleWithItsOrigin() {
        Problems problems = new Problems();
        new RuleCompiler(home).compile(List.of(new Settings.Rule("deny", "a.conf:1"), new Settings.Rule("nope", "a.conf:2"),
                new Settings.Rule("return status 99", "a.conf:3")), "frontends.x.http-request", problems);
        List<String> lines = problems.list().stream().map(Object::toString).toList();
        assertEquals(List.of(
                "a.conf:2: frontends.x.http-request: in rule \"nope\" (column 1): unknown action 'nope'; this build knows: return, deny",
                "a.conf:3: frontends.x.http-request: in rule \"return status 99\" (column 15): status 99 is out of range [200, 599]"),
                lines);
    }
}
