package io.luagate.plugin.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.testkit.LuagateUnderTest;
import io.luagate.testkit.RecordingUpstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * This plugin's jar in a real kernel with the http plugin: where the stats URI is matched (the same
 * answers as HAProxy 2.6.12 gives with "stats uri /stats" and these rules), its options, its
 * authentication and what the page holds.
 */
class StatsPagePluginIT {

    private static String config(RecordingUpstream up, String statsKeys) {
        return """
                stats-page.description = "<b>edge</b> & co"
                frontends.fe {
                  bind = ["127.0.0.1:0"], default-backend = be
                  %s
                  http-request = [
                    "return status 299 content-type text/plain string rule-return if { path /stats/ret }",
                    "deny if { path /stats/deny }",
                    "set-path /stats if { path /rewritten }",
                    "allow if { path /stats/allowed }"
                  ]
                  http-response = [ "set-header x-response-rules 1" ]
                  http-after-response = [ "set-header x-after-response-rules 1" ]
                }
                backends.be { servers { up = "%s", gone = { address = "127.0.0.1:9", disabled = true } } }
                """.formatted(statsKeys, up.address());
    }

    @Test
    void theUriIsMatchedAfterTheRulesAsAPrefixOfThePath() {
        try (RecordingUpstream up = RecordingUpstream.start("up");
             LuagateUnderTest luagate = LuagateUnderTest.start(config(up, "stats-uri = \"/stats\", stats-refresh = 5s"), "http", "balancer-roundrobin", "pool")) {
            HttpResponse<String> page = luagate.get("fe", "/stats");
            assertEquals(200, page.statusCode());
            assertEquals(Optional.of("5"), page.headers().firstValue("refresh"));
            assertEquals(Optional.of("no-cache"), page.headers().firstValue("cache-control"));
            assertTrue(page.headers().firstValue("content-type").orElseThrow().startsWith("text/html"));
            assertTrue(page.body().contains("<title>Statistics Report for luagate"), page.body());
            // As HAProxy 2.6.12: the page's answer skips http-response rules, not http-after-response ones.
            assertEquals(Optional.empty(), page.headers().firstValue("x-response-rules"));
            assertEquals(Optional.of("1"), page.headers().firstValue("x-after-response-rules"));
            assertEquals(Optional.of("1"), luagate.get("fe", "/app").headers().firstValue("x-response-rules"));

            // The rules run first: they answer, deny, rewrite to the page, or allow (the page still answers).
            assertEquals(299, luagate.get("fe", "/stats/ret").statusCode());
            assertEquals(403, luagate.get("fe", "/stats/deny").statusCode());
            assertEquals(200, luagate.get("fe", "/rewritten").headers().firstValue("refresh").map(r -> 200).orElse(0));
            assertTrue(luagate.get("fe", "/stats/allowed").body().contains("Statistics Report"));
            // A prefix of the path, query and options included; elsewhere in the path or in another case it is not.
            for (String path : new String[] {"/statsfoo", "/stats?x=1", "/stats;up", "/stats/"}) {
                assertTrue(luagate.get("fe", path).body().contains("Statistics Report"), path);
            }
            for (String path : new String[] {"/x/stats", "/Stats"}) {
                assertEquals("up", RecordingUpstream.servedBy(luagate.get("fe", path)), path);
            }
            assertEquals(0, up.received().stream().filter(r -> r.toString().contains("/stats/")).count());

            // ;norefresh: no Refresh header.
            assertFalse(luagate.get("fe", "/stats;norefresh").headers().firstValue("refresh").isPresent());
            // GET, HEAD and POST only: a PUT goes to the server.
            HttpResponse<String> put = luagate.send(HttpRequest.newBuilder(luagate.uri("fe", "/stats"))
                    .PUT(HttpRequest.BodyPublishers.ofString("x")).build());
            assertEquals("up", RecordingUpstream.servedBy(put));
            HttpResponse<String> head = luagate.send(HttpRequest.newBuilder(luagate.uri("fe", "/stats"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            // A POST is an admin action, which this page does not take: HAProxy's 303 to ;st=DENY.
            HttpResponse<String> post = luagate.send(HttpRequest.newBuilder(luagate.uri("fe", "/stats"))
                    .POST(HttpRequest.BodyPublishers.ofString("s=up&action=maint&b=be")).build());
            assertEquals(303, post.statusCode());
            assertEquals(Optional.of("/stats;st=DENY"), post.headers().firstValue("location"));
            assertTrue(luagate.get("fe", "/stats;st=DENY").body().contains("Action denied"));
        }
    }

    @Test
    void thePageShowsEveryProxyAndServerWithEscapedText() {
        try (RecordingUpstream up = RecordingUpstream.start("up");
             LuagateUnderTest luagate = LuagateUnderTest.start(config(up, "stats-uri = \"/stats\""), "http", "balancer-roundrobin", "pool")) {
            for (int i = 0; i < 3; i++) {
                assertEquals("up", RecordingUpstream.servedBy(luagate.get("fe", "/app/" + i)));
            }
            String page = luagate.get("fe", "/stats").body();
            assertTrue(page.contains("&lt;b&gt;edge&lt;/b&gt; &amp; co"), page);
            assertFalse(page.contains("<b>edge"));
            assertFalse(page.contains("refresh ="), "no stats-refresh, no refresh line");
            // Without checks, HAProxy's "no check" (gray) for a running server.
            assertTrue(page.contains("<tr class=\"active_no_check\" data-row=\"be/up\"><td class=\"ac\">up</td>"), page);
            assertTrue(page.contains("<tr class=\"maintain\" data-row=\"be/gone\">"), page);
            // Three requests went to the server "up" (each a stream, on one connection).
            assertTrue(row(page, "be/up").contains("<td data-col=\"stot\" title=\"HTTP requests: 3, 1xx: 0, 2xx: 3, 3xx: 0, 4xx: 0,"
                    + " 5xx: 0, other: 0\">3</td>"), row(page, "be/up"));
            assertTrue(row(page, "be/up").matches("(?s).*<td data-col=\"status\"><span data-col=\"lastchg\">\\d+s</span> "
                    + "<span data-col=\"state\">no check</span></td><td data-col=\"check_status\"></td>.*"), row(page, "be/up"));
            assertTrue(row(page, "be/gone").contains("<span data-col=\"state\">MAINT</span>"), row(page, "be/gone"));
            assertTrue(row(page, "be").contains("<td data-col=\"status\">UP</td><td data-col=\"check_status\"></td>"
                    + "<td data-col=\"weight\">1</td><td data-col=\"act\">1</td>"), row(page, "be"));
            assertTrue(row(page, "fe").contains("<td data-col=\"status\">OPEN</td>"), row(page, "fe"));
            // ;up and ;no-maint hide the server in maintenance.
            assertFalse(luagate.get("fe", "/stats;up").body().contains("data-row=\"be/gone\""));
            assertFalse(luagate.get("fe", "/stats;no-maint").body().contains("data-row=\"be/gone\""));
            assertTrue(luagate.get("fe", "/stats;up").body().contains("data-row=\"be/up\""));
            // The page stands alone: no script, no outside resource.
            assertFalse(page.contains("<script"));
            assertFalse(page.contains("http://") || page.contains("https://"), page);
        }
    }

    @Test
    void statsAuthAsksForCredentialsInTheRealm() {
        try (RecordingUpstream up = RecordingUpstream.start("up");
             LuagateUnderTest luagate = LuagateUnderTest.start(config(up,
                     "stats-uri = \"/stats\", stats-auth = [ \"admin:secret\" ], stats-realm = \"My Stats\", stats-hide-version = true"), "http", "balancer-roundrobin", "pool")) {
            HttpResponse<String> none = luagate.get("fe", "/stats");
            assertEquals(401, none.statusCode());
            assertEquals(Optional.of("Basic realm=\"My Stats\""), none.headers().firstValue("www-authenticate"));
            assertTrue(none.body().contains("401 Unauthorized"));
            assertEquals(401, luagate.get("fe", "/stats", "authorization", basic("admin:wrong")).statusCode());
            assertEquals(401, luagate.get("fe", "/stats", "authorization", "Basic !!!").statusCode());
            HttpResponse<String> ok = luagate.get("fe", "/stats", "authorization", basic("admin:secret"));
            assertEquals(200, ok.statusCode());
            assertFalse(ok.body().contains("class=\"version\""), "stats-hide-version");
            // The rest of the site needs no credentials.
            assertEquals("up", RecordingUpstream.servedBy(luagate.get("fe", "/")));
        }
    }

    @Test
    void aRealmAboveAsciiIsSentAsItsUtf8Bytes() {
        // HAProxy 2.6.12 observed: stats realm Café sends www-authenticate: Basic realm="Caf" C3 A9 ".
        try (RecordingUpstream up = RecordingUpstream.start("up");
             LuagateUnderTest luagate = LuagateUnderTest.start(config(up,
                     "stats-uri = \"/stats\", stats-auth = [ \"admin:secret\" ], stats-realm = \"Café\""), "http", "balancer-roundrobin", "pool")) {
            HttpResponse<String> none = luagate.get("fe", "/stats");
            assertEquals(401, none.statusCode());
            // The client reads a header's bytes one char each.
            assertEquals(Optional.of("Basic realm=\"Caf\u00c3\u00a9\""), none.headers().firstValue("www-authenticate"));
        }
    }

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String row(String page, String name) {
        int at = page.indexOf("data-row=\"" + name + "\"");
        assertTrue(at > 0, "no row " + name);
        return page.substring(at, page.indexOf("</tr>", at));
    }
}
