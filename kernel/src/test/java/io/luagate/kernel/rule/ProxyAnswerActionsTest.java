package io.luagate.kernel.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.rule.acl.Acl;
import io.luagate.kernel.rule.action.ActionTable;
import io.luagate.kernel.rule.action.Side;
import io.luagate.kernel.rule.auth.AuthFetches;
import io.luagate.kernel.rule.auth.Userlist;
import io.luagate.kernel.rule.conv.BuiltinConverters;
import io.luagate.kernel.rule.fetch.BuiltinFetches;
import io.luagate.kernel.rule.map.Maps;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.ReplyTemplate;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.sample.VarScope;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The actions that answer for the proxy (auth, tarpit, reject, early-hint), http-error replies,
 * monitor-uri and the userlist fetches, compiled and run on a transaction; the bytes each gives
 * were taken from HAProxy 2.6.12 (the corpus cases rules-action-* record them on the wire).
 */
class ProxyAnswerActionsTest {

    @TempDir
    Path home;
    private RuleCompiler compiler;
    private final Map<String, List<Settings.Rule>> acls = new LinkedHashMap<>();

    @BeforeEach
    void setUp() {
        SampleRegistry registry = new SampleRegistry();
        BuiltinFetches.register(registry);
        BuiltinConverters.register(registry);
        AuthFetches.register(registry);
        Problems problems = new Problems();
        Settings.Userlist people = new Settings.Userlist("people", Map.of(
                "tiger", new Settings.User("tiger", "secret", true, List.of(), "t.conf:2"),
                "alice", new Settings.User("alice",
                        "$6$Zq8fP2$cxGEAo74uGtJoJpqI/KScU.0NyIS7ycLrqe5bPH1gqFQhk92p72WmnFu23M5EW8l.6Ibu/uIO1WfW6jCrJ7xn/",
                        false, List.of("staff"), "t.conf:3"),
                "nopass", new Settings.User("nopass", null, false, List.of(), "t.conf:4")),
                Map.of("admins", List.of("tiger"), "staff", List.of()), "t.conf:1");
        Userlist compiled = Userlist.compile(people, problems);
        problems.throwIfAny();
        compiler = new RuleCompiler(new CompileContext(home, new Maps(home), registry, Set.of(), (Function<String, io.luagate.spi.proxy.Backend>) n -> null,
                Map.of("people", compiled)), ActionTable.builtin());
    }

    private List<Action> compile(String... rules) {
        Problems problems = new Problems();
        Map<String, List<Acl>> named = compiler.acls(acls, "acl", problems);
        List<Action> actions = compiler.actions(rule(rules), Side.REQUEST, named, "frontends.fe.http-request", problems);
        problems.throwIfAny();
        return actions;
    }

    private List<String> problems(String... rules) {
        Problems problems = new Problems();
        compiler.actions(rule(rules), Side.REQUEST, Map.of(), "frontends.fe.http-request", problems);
        return problems.list().stream().map(Object::toString).toList();
    }

    private static List<Settings.Rule> rule(String... rules) {
        return List.of(rules).stream().map(r -> new Settings.Rule(r, "t.conf:7")).toList();
    }

    private static Verdict run(List<Action> actions, TestTransaction txn) {
        for (Action action : actions) {
            Verdict verdict = action.execute(txn);
            if (verdict != Verdict.CONTINUE) {
                return verdict;
            }
        }
        return Verdict.CONTINUE;
    }

    private static String body(HttpReply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    private static List<String> headers(HttpReply reply) {
        return reply.headers().stream().map(h -> h.name() + ": " + h.value()).toList();
    }

    @Test
    void authChallengesWithTheRealmOrTheNameOfTheProxyWhoseRulesRun() {
        TestTransaction txn = new TestTransaction("GET", "/");
        assertEquals(Verdict.STOP, run(compile("auth"), txn));
        assertEquals(401, txn.reply.status());
        assertEquals(List.of("content-length: 112", "cache-control: no-cache", "content-type: text/html",
                "www-authenticate: Basic realm=\"fe\""), headers(txn.reply));
        assertEquals(body(ErrorPages.forStatus(401)), body(txn.reply));

        txn = new TestTransaction("GET", "/");
        txn.backendName = "be_guarded";
        run(compile("auth"), txn);
        assertEquals("Basic realm=\"be_guarded\"", txn.reply.headers().get(3).value());

        txn = new TestTransaction("GET", "/");
        run(compile("auth realm \"My Realm\""), txn);
        assertEquals("Basic realm=\"My Realm\"", txn.reply.headers().get(3).value());
    }

    @Test
    void authBuildsOnTheProxysOwn401AndReplacesItsChallenge() {
        TestTransaction txn = new TestTransaction("GET", "/");
        txn.frontendErrors.put(401, new HttpReply(401, List.of(new HttpReply.Header("www-authenticate", "Digest x"),
                new HttpReply.Header("x-page", "custom"), new HttpReply.Header("content-length", "12")),
                "log in first".getBytes(StandardCharsets.UTF_8)));
        run(compile("auth realm Vault"), txn);
        assertEquals(List.of("x-page: custom", "content-length: 12", "www-authenticate: Basic realm=\"Vault\""), headers(txn.reply));
        assertEquals("log in first", body(txn.reply));
    }

    @Test
    void tarpitHoldsForTheTimeoutOfTheProxyWhoseRulesRun() {
        TestTransaction txn = new TestTransaction("GET", "/");
        txn.frontendTarpitMillis = 250;
        assertEquals(Verdict.PENDING, run(compile("tarpit"), txn));
        assertEquals(250, txn.tarpitDelay);
        assertEquals(500, txn.tarpitReply.status());
        assertEquals(body(ErrorPages.forStatus(500)), body(txn.tarpitReply));
        assertNull(txn.reply, "the codec answers when the delay ends");

        txn = new TestTransaction("GET", "/");
        txn.frontendTarpitMillis = 250;
        txn.backendName = "be";
        txn.backendTarpitMillis = 700;
        run(compile("tarpit deny_status 429 content-type text/plain string \"slow down\" hdr retry-after 9"), txn);
        assertEquals(700, txn.tarpitDelay);
        assertEquals(429, txn.tarpitReply.status());
        assertEquals(List.of("retry-after: 9", "content-length: 9", "content-type: text/plain"), headers(txn.tarpitReply));

        txn = new TestTransaction("GET", "/");
        txn.frontendErrors.put(500, new HttpReply(500, List.of(), "tarpitted".getBytes(StandardCharsets.UTF_8)));
        run(compile("tarpit"), txn);
        assertEquals("tarpitted", body(txn.tarpitReply), "a bare tarpit answers with the proxy's own 500");
    }

    @Test
    void rejectClosesWithoutAnswerAndLogsPr() {
        TestTransaction txn = new TestTransaction("GET", "/x");
        assertEquals(Verdict.STOP, run(compile("reject if { path /x }", "deny"), txn));
        assertTrue(txn.rejected);
        assertNull(txn.reply);
        assertEquals(TerminationCause.PROXY, txn.cause);
        assertEquals(StreamPhase.REQUEST, txn.phase);
    }

    @Test
    void earlyHintsGroupAsHaproxy26Does() {
        List<Action> rules = compile(
                "early-hint link \"</a.css>; rel=preload\"",
                "early-hint Link \"</b.js>; rel=preload\"",
                "early-hint x-c %[path] if { path /c }",
                "early-hint x-d d",
                "set-header x-mid 1",
                "early-hint x-e e");
        TestTransaction txn = new TestTransaction("GET", "/");
        run(rules, txn);
        assertEquals(List.of("link: </a.css>; rel=preload", "link: </b.js>; rel=preload (sent)", "x-d: d (sent)",
                "x-e: e (sent)"), txn.hints);
        txn = new TestTransaction("GET", "/c");
        run(rules, txn);
        assertEquals(List.of("link: </a.css>; rel=preload", "link: </b.js>; rel=preload (sent)", "x-c: /c", "x-d: d (sent)",
                "x-e: e (sent)"), txn.hints);
    }

    @Test
    void anEarlyHintsNameIsLowerCasedAsHaproxyWritesIt() {
        TestTransaction txn = new TestTransaction("GET", "/");
        run(compile("early-hint Link e", "early-hint X-Hint f"), txn);
        assertEquals(List.of("link: e", "x-hint: f (sent)"), txn.hints);
    }

    @Test
    void denyAndDefaultErrorfilesUseTheProxysPagesBackendFirst() {
        TestTransaction txn = new TestTransaction("GET", "/");
        txn.frontendErrors.put(403, new HttpReply(403, List.of(), "fe page".getBytes(StandardCharsets.UTF_8)));
        run(compile("deny"), txn);
        assertEquals("fe page", body(txn.reply));
        txn.backendName = "be";
        txn.backendErrors.put(403, new HttpReply(403, List.of(), "be page".getBytes(StandardCharsets.UTF_8)));
        run(compile("deny"), txn);
        assertEquals("be page", body(txn.reply));

        txn = new TestTransaction("GET", "/");
        run(compile("deny deny_status 403 hdr x-a 1 default-errorfiles"), txn);
        assertEquals(List.of("content-length: 93", "cache-control: no-cache", "content-type: text/html"), headers(txn.reply),
                "HAProxy ignores hdr with an error page");
    }

    @Test
    void httpErrorLinesCompileToRepliesByStatus() {
        Problems problems = new Problems();
        Map<Integer, ReplyTemplate> replies = compiler.httpErrors(rule(
                "status 403 content-type text/plain lf-string \"no %[path] for you\" hdr x-fe 1",
                "status 503 content-type text/plain string first",
                "status 503 content-type text/plain string second",
                "status 404 default-errorfiles"), "frontends.fe.http-error", problems);
        problems.throwIfAny();
        TestTransaction txn = new TestTransaction("GET", "/deny/x");
        HttpReply forbidden = replies.get(403).render(txn);
        assertEquals("no /deny/x for you", body(forbidden));
        assertEquals(List.of("x-fe: 1", "content-length: 18", "content-type: text/plain"), headers(forbidden));
        assertEquals("second", body(replies.get(503).render(txn)), "a later line for a status wins");
        assertEquals(body(ErrorPages.forStatus(404)), body(replies.get(404).render(txn)));
    }

    @Test
    void httpErrorProblemsNameLineAndColumn() {
        Problems problems = new Problems();
        compiler.httpErrors(rule("status 418 content-type text/plain string teapot", "string x",
                "status 503 errorfile /x.http", "status 503 bogus"), "frontends.fe.http-error", problems);
        String all = String.join("\n", problems.list().stream().map(Object::toString).toList());
        assertTrue(all.contains("t.conf:7: frontends.fe.http-error: in rule \"status 418 content-type text/plain string teapot\": "
                + "'http-error' status code '418' not handled"), all);
        assertTrue(all.contains("in rule \"string x\": 'http-error' expects at least a status"), all);
        assertTrue(all.contains("in rule \"status 503 errorfile /x.http\" (column 12): 'errorfile' in a reply is not supported"), all);
        assertTrue(all.contains("in rule \"status 503 bogus\" (column 12): unexpected 'bogus'"), all);
        assertEquals(4, problems.list().size(), all);
    }

    @Test
    void monitorAnswersItsExactUriSilentlyAndFailsWhenAConditionHolds() {
        Problems problems = new Problems();
        Action monitor = compiler.monitor("/health", rule("if { req.hdr(x-fail) -m found }", "unless { req.hdr(host) -m found }"),
                Map.of(), "frontends.fe.monitor-fail", problems);
        problems.throwIfAny();
        TestTransaction ok = new TestTransaction("GET", "/health", "Host", "a");
        assertEquals(Verdict.STOP, monitor.execute(ok));
        assertEquals(200, ok.reply.status());
        assertEquals(body(ErrorPages.forStatus(200)), body(ok.reply));
        assertTrue(ok.silent, "HAProxy does not log monitor requests");
        TestTransaction failing = new TestTransaction("GET", "/health", "Host", "a", "X-Fail", "1");
        monitor.execute(failing);
        assertEquals(503, failing.reply.status());
        TestTransaction noHost = new TestTransaction("GET", "/health");
        monitor.execute(noHost);
        assertEquals(503, noHost.reply.status());
        for (String other : List.of("/HEALTH", "/health?x=1", "/health/")) {
            TestTransaction txn = new TestTransaction("GET", other, "Host", "a");
            assertEquals(Verdict.CONTINUE, monitor.execute(txn), other);
            assertNull(txn.reply);
            assertFalse(txn.silent);
        }
        assertNull(compiler.monitor(null, List.of(), Map.of(), "k", problems));
        compiler.monitor("/h", rule("when x"), Map.of(), "frontends.fe.monitor-fail", problems);
        assertTrue(problems.list().get(0).toString().contains("in rule \"when x\" (column 1): expected if|unless <condition>"),
                problems.list().toString());
    }

    @Test
    void compileErrorsOfTheNewActionsNameTheColumn() {
        String all = String.join("\n", problems("auth realm", "auth bogus", "early-hint link", "tarpit deny_status abc",
                "tarpit errorfile /x", "reject now", "auth realm a b"));
        assertTrue(all.contains("in rule \"auth realm\" (column 1): 'auth' missing realm value"), all);
        assertTrue(all.contains("in rule \"auth bogus\" (column 6): unexpected 'bogus' in 'auth'; expected realm <realm>"), all);
        assertTrue(all.contains("in rule \"early-hint link\" (column 1): 'early-hint' needs 2 argument(s)"), all);
        assertTrue(all.contains("in rule \"tarpit deny_status abc\" (column 20): 'abc' is not a status code"), all);
        assertTrue(all.contains("in rule \"tarpit errorfile /x\" (column 8): 'errorfile' in a reply is not supported"), all);
        assertTrue(all.contains("in rule \"reject now\" (column 8): unexpected 'now'"), all);
        assertTrue(all.contains("in rule \"auth realm a b\" (column 14): unexpected 'b'"), all);
        Problems problems = new Problems();
        compiler.actions(rule("auth", "tarpit", "early-hint a b", "reject"), Side.RESPONSE, Map.of(), "k", problems);
        assertEquals(4, problems.list().size(), "request actions only, as in HAProxy");
    }

    @Test
    void httpAuthChecksBasicCredentialsAgainstTheUserlist() {
        List<Action> rules = compile("set-var(txn.ok) http_auth(people)", "set-var(txn.user) http_auth_group(people)",
                "set-var(txn.admin) bool(1) if { http_auth_group(people) admins }",
                "set-var(txn.staff) bool(1) if { http_auth_group(people) staff }");
        Map<String, List<Object>> seen = new LinkedHashMap<>();
        for (String credentials : List.of("tiger:secret", "alice:pass6", "tiger:wrong", "nobody:x", "nopass:")) {
            TestTransaction txn = new TestTransaction("GET", "/", "Authorization", "Basic "
                    + java.util.Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            run(rules, txn);
            List<Object> values = new ArrayList<>();
            for (String name : List.of("ok", "user", "admin", "staff")) {
                values.add(txn.var(VarScope.TXN, name));
            }
            seen.put(credentials, values);
        }
        assertEquals(java.util.Arrays.asList(true, "tiger", true, null), seen.get("tiger:secret"));
        assertEquals(java.util.Arrays.asList(true, "alice", null, true), seen.get("alice:pass6"));
        assertEquals(java.util.Arrays.asList(false, null, null, null), seen.get("tiger:wrong"));
        assertEquals(java.util.Arrays.asList(false, null, null, null), seen.get("nobody:x"));
        assertEquals(java.util.Arrays.asList(false, null, null, null), seen.get("nopass:"));
        for (String header : new String[] {null, "Bearer dGlnZXI6c2VjcmV0", "Basic dGlnZXI6c2VjcmV0=", "Basic !!!!"}) {
            TestTransaction txn = header == null ? new TestTransaction("GET", "/")
                    : new TestTransaction("GET", "/", "Authorization", header);
            run(rules, txn);
            assertNull(txn.var(VarScope.TXN, "ok"), "no credentials, no sample: " + header);
        }
    }

    @Test
    void httpAuthGroupAclNeedsGroupsOfItsUserlist() {
        String all = String.join("\n", problems("deny if { http_auth_group(people) nosuch }",
                "deny if { http_auth_group(people) }", "deny if { http_auth(other) }"));
        assertTrue(all.contains("http_auth_group(): invalid group 'nosuch'"), all);
        assertTrue(all.contains("http_auth_group(): no groups specified"), all);
        assertTrue(all.contains("no userlist named 'other'; known: people"), all);
    }
}
