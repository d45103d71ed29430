package io.luagate.kernel.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.rule.acl.Acl;
import io.luagate.kernel.rule.action.ActionTable;
import io.luagate.kernel.rule.action.Side;
import io.luagate.kernel.rule.conv.BuiltinConverters;
import io.luagate.kernel.rule.fetch.BuiltinFetches;
import io.luagate.kernel.rule.map.MapConverters;
import io.luagate.kernel.rule.map.Maps;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.sample.VarScope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule language end to end inside the engine: parse, compile, execute on a transaction. */
class RuleCompilerTest {

    @TempDir
    Path home;
    private RuleCompiler compiler;
    private final Map<String, List<Settings.Rule>> aclDefinitions = new LinkedHashMap<>();

    @BeforeEach
    void setUp() {
        SampleRegistry registry = new SampleRegistry();
        BuiltinFetches.register(registry);
        BuiltinConverters.register(registry);
        MapConverters.register(registry);
        compiler = new RuleCompiler(new CompileContext(home, new Maps(home), registry), ActionTable.builtin());
    }

    private void acl(String name, String definition) {
        aclDefinitions.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(new Settings.Rule(definition, "t.conf:1"));
    }

    private List<Action> compile(Side side, String... rules) {
        Problems problems = new Problems();
        Map<String, List<Acl>> acls = compiler.acls(aclDefinitions, "acl", problems);
        List<Action> actions = compiler.actions(List.of(rules).stream().map(r -> new Settings.Rule(r, "t.conf:7")).toList(),
                side, acls, "frontends.x.http-request", problems);
        problems.throwIfAny();
        return actions;
    }

    private List<String> problems(Side side, String... rules) {
        Problems problems = new Problems();
        Map<String, List<Acl>> acls = compiler.acls(aclDefinitions, "acl", problems);
        compiler.actions(List.of(rules).stream().map(r -> new Settings.Rule(r, "t.conf:7")).toList(),
                side, acls, "frontends.x.http-request", problems);
        return problems.list().stream().map(Object::toString).toList();
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

    @Test
    void serverConnectionFetchesAreRefusedBeforeTheConnect() {
        // HAProxy 2.6.12 refuses them there at load: the server connection does not exist yet.
        List<String> request = problems(Side.REQUEST, "set-header x-p %[ssl_bc_protocol]", "deny if { ssl_bc }");
        assertEquals(2, request.size(), request.toString());
        assertTrue(request.get(0).contains("t.conf:7") && request.get(0).contains("sample fetch 'ssl_bc_protocol' may not be used"
                + " in http-request rules"), request.get(0));
        assertTrue(request.get(1).contains("sample fetch 'ssl_bc' may not be used"), request.get(1));
        assertEquals(1, problems(Side.TCP, "content reject if { ssl_bc }").size());
        assertEquals(List.of(), problems(Side.RESPONSE, "set-header x-p %[ssl_bc_protocol]", "set-header x-c %[ssl_bc_cipher]"));
        assertEquals(List.of(), problems(Side.AFTER_RESPONSE, "set-header x-p %[ssl_bc_protocol]"));
        // Names that merely contain it are not fetches of the server connection.
        assertEquals(List.of(), problems(Side.REQUEST, "set-header x-p %[var(txn.my_ssl_bc)]"));
    }

    @Test
    void headerActionsWithConditionsAndNamedAcls() {
        acl("is_api", "path_beg /api/ /v2/");
        acl("is_admin", "hdr(x-role) -i admin");
        List<Action> rules = compile(Side.REQUEST,
                "set-header X-Api yes if is_api",
                "set-header X-Admin yes if is_api is_admin",
                "add-header X-Either 1 if is_admin || { path_end .json }",
                "del-header X-Secret unless is_admin",
                "set-header X-Path %[path,upper]");
        TestTransaction api = new TestTransaction("GET", "/api/users?id=3", "X-Role", "ADMIN", "X-Secret", "s");
        run(rules, api);
        assertEquals("yes", api.request.header("x-api"));
        assertEquals("yes", api.request.header("x-admin"));
        assertEquals("1", api.request.header("x-either"));
        assertEquals("s", api.request.header("x-secret"));
        assertEquals("/API/USERS", api.request.header("x-path"));

        TestTransaction other = new TestTransaction("GET", "/data.json", "X-Secret", "s");
        run(rules, other);
        assertNull(other.request.header("x-api"));
        assertEquals("1", other.request.header("x-either"));
        assertNull(other.request.header("x-secret"));
    }

    @Test
    void variablesSetInOneRuleAreUsedInAnother() {
        List<Action> rules = compile(Side.REQUEST,
                "set-var(txn.flow) hdr(x-flow),lower",
                "set-var-fmt(req.where) %[var(txn.flow)]-%[path]",
                "set-header X-Flow %[var(txn.flow)] if { var(txn.flow) -m str blue }",
                "unset-var(req.where) if { path /drop }");
        TestTransaction txn = new TestTransaction("GET", "/x", "X-Flow", "BLUE");
        run(rules, txn);
        assertEquals("blue", txn.var(VarScope.TXN, "flow"));
        assertEquals("blue-/x", txn.var(VarScope.REQ, "where"));
        assertEquals("blue", txn.request.header("x-flow"));
    }

    @Test
    void uriRewrites() {
        TestTransaction txn = new TestTransaction("GET", "/old/page?a=1");
        run(compile(Side.REQUEST, "replace-path /old/(.*) /new/\\1"), txn);
        assertEquals("/new/page?a=1", txn.request.uri());
        run(compile(Side.REQUEST, "set-query b=2"), txn);
        assertEquals("/new/page?b=2", txn.request.uri());
        TestTransaction empty = new TestTransaction("GET", "/e?a=1");
        run(compile(Side.REQUEST, "set-query %[req.hdr(x-none)]"), empty);
        assertEquals("/e?", empty.request.uri(), "an empty query leaves a bare '?', as HAProxy 2.6.12 does");
        run(compile(Side.REQUEST, "set-path /p"), txn);
        assertEquals("/p?b=2", txn.request.uri());
        run(compile(Side.REQUEST, "set-pathq /q?c=3", "set-method POST"), txn);
        assertEquals("/q?c=3", txn.request.uri());
        assertEquals("POST", txn.request.method());
        run(compile(Side.REQUEST, "set-uri http://h/x?y", "replace-uri ^http://h/(.*) /\\1"), txn);
        assertEquals("/x?y", txn.request.uri());
    }

    @Test
    void replaceHeaderAndValue() {
        TestTransaction txn = new TestTransaction("GET", "/", "Cookie", "foo=1;bar=2", "Accept", "a/1, b/2, a/3");
        run(compile(Side.REQUEST, "replace-header Cookie foo=([^;]*);(.*) foo=\\1;ip=x;\\2",
                "replace-value Accept ^a/(.*) z/\\1"), txn);
        assertEquals("foo=1;ip=x;bar=2", txn.request.header("cookie"));
        assertEquals("z/1, b/2,z/3", txn.request.header("accept"));
    }

    @Test
    void aProblemQuotesTheRulesWordsAsWritten() {
        List<String> problems = problems(Side.REQUEST, "café-action x");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("'café-action'"), problems.get(0));
        assertTrue(problems.get(0).startsWith("t.conf:7: frontends.x.http-request: in rule \"café-action x\""), problems.get(0));
    }

    @Test
    void headerNamesFoldAsciiOnlyAsHaproxyDoes() {
        // HAProxy 2.6.12 observed: set-header X-É sends "x-" C3 89, del-header "x-\xe9" leaves a
        // header named "x-" C9, res.hdr(x-\xe9) does not find it. Java's folding would take C9 for E9.
        TestTransaction txn = new TestTransaction("GET", "/", "X-\u00c9", "kept", "X-\u00c9b", "kept too", "X-A", "gone",
                "X-Up-Beg", "gone", "Pre-END", "gone", "a-MiD-b", "gone");
        run(compile(Side.REQUEST, "del-header \"x-\\xe9\"", "del-header \"x-\\xe9\" -m beg", "del-header \"\\xe9\" -m sub",
                "del-header x-a -m str", "del-header X-UP -m beg", "del-header end -m end", "del-header mId -m sub"), txn);
        assertEquals("kept", txn.request.header("X-\u00c9"));
        assertEquals("kept too", txn.request.header("X-\u00c9b"));
        assertNull(txn.request.header("x-a"));
        // A-Z still fold, in every match method.
        assertNull(txn.request.header("x-up-beg"));
        assertNull(txn.request.header("pre-end"));
        assertNull(txn.request.header("a-mid-b"));
    }

    @Test
    void aMissingFileUnderANonAsciiPathIsNamedAsWritten() {
        // The message quotes the rule's bytes and the file's path (text): both show as the file has them.
        String map = home.resolve("géo/missing.map").toString();
        List<String> problems = problems(Side.REQUEST, "set-header x %[path,map(géo/missing.map)]");
        assertTrue(problems.get(0).endsWith("'map' " + map + ": failed to open pattern file <" + map + ">: no such file"),
                problems.get(0));
        problems = problems(Side.REQUEST, "deny if { path -f géo/missing.map }");
        assertTrue(problems.get(0).endsWith(map + ": failed to open pattern file <" + map + ">: no such file"), problems.get(0));
        problems = problems(Side.REQUEST, "return status 200 content-type text/plain file géo/missing.map");
        assertTrue(problems.get(0).endsWith("cannot read file 'géo/missing.map': " + map), problems.get(0));
    }

    @Test
    void headerNamesLuagateWritesMustBeTokens() {
        // HAProxy 2.6.12 sends set-header X-É as "x-" C3 89; luagate's encoders refuse such a name.
        String refused = "'X-É' is not a header name (luagate writes token names only; HAProxy would send its bytes)";
        for (String rule : List.of("set-header X-É v", "add-header X-É v", "return status 200 hdr X-É v",
                "deny deny_status 403 hdr X-É v", "tarpit hdr X-É v",
                "early-hint X-É v")) {
            List<String> problems = problems(Side.REQUEST, rule);
            assertEquals(1, problems.size(), rule + ": " + problems);
            assertTrue(problems.get(0).endsWith(refused), problems.get(0));
        }
        List<String> response = problems(Side.RESPONSE, "set-header \"X-\\xc9\" v");
        assertTrue(response.get(0).endsWith("'X-\\xC9' is not a header name "
                + "(luagate writes token names only; HAProxy would send its bytes)"), response.toString());
        assertTrue(problems(Side.AFTER_RESPONSE, "add-header \"X Y\" v").get(0).contains("'X Y' is not a header name"));
        // Only matched, never written: any bytes.
        assertEquals(List.of(), problems(Side.REQUEST, "del-header X-É", "replace-header X-É a b", "replace-value X-É a b"));
    }

    @Test
    void constantHeaderValuesHoldNoControlByte() {
        for (String rule : List.of("set-header X \"a\\nb\"", "add-header X \"%[path]\\r\"",
                "return status 200 hdr X \"a\\x00b\"", "early-hint Link \"a\\x7f\"",
                "return status 200 content-type \"text/plain\\n\" string x")) {
            List<String> problems = problems(Side.REQUEST, rule);
            assertEquals(1, problems.size(), rule + ": " + problems);
            assertTrue(problems.get(0).contains("' holds the control byte \\x"), problems.get(0));
            assertTrue(problems.get(0).endsWith(", which luagate does not send (HAProxy sends it raw; a NUL cuts the value there)"),
                    problems.get(0));
        }
        assertTrue(problems(Side.REQUEST, "set-header X \"a\\nb\"").get(0)
                .contains("header value 'a\\x0Ab' holds the control byte \\x0A"));
        // A tab is a header value's blank.
        assertEquals(List.of(), problems(Side.REQUEST, "set-header X \"a\\tb\"", "return status 200 hdr X \"a\\tb\""));
    }

    @Test
    void returnDenyRedirectAndAllow() throws Exception {
        TestTransaction txn = new TestTransaction("GET", "/a?q=1", "Host", "example.com");
        assertEquals(Verdict.STOP, run(compile(Side.REQUEST,
                "return status 404 content-type text/plain lf-string \"no %[path]\" hdr X-A %[hdr(host)]"), txn));
        assertEquals(404, txn.reply.status());
        assertEquals("no /a", new String(txn.reply.body(), StandardCharsets.UTF_8));
        assertEquals(List.of(new io.luagate.spi.rule.HttpReply.Header("x-a", "example.com"),
                new io.luagate.spi.rule.HttpReply.Header("content-length", "5"),
                new io.luagate.spi.rule.HttpReply.Header("content-type", "text/plain")), txn.reply.headers());

        txn = new TestTransaction("GET", "/a?q=1", "Host", "example.com");
        run(compile(Side.REQUEST, "redirect scheme https code 301"), txn);
        assertEquals(301, txn.reply.status());
        assertEquals("https://example.com/a?q=1", txn.reply.headers().get(1).value());
        assertEquals(2, txn.reply.headers().size(), "301: no cache-control, as HAProxy");

        txn = new TestTransaction("GET", "/a?q=1");
        run(compile(Side.REQUEST, "redirect prefix /v2 drop-query"), txn);
        assertEquals(302, txn.reply.status());
        assertEquals("/v2/a", txn.reply.headers().get(1).value());
        assertEquals("no-cache", txn.reply.headers().get(2).value());

        txn = new TestTransaction("GET", "/");
        assertEquals(Verdict.ALLOW, run(compile(Side.REQUEST, "allow if { path / }", "deny"), txn));
        assertNull(txn.reply);

        txn = new TestTransaction("GET", "/x");
        run(compile(Side.REQUEST, "allow if { path / }", "deny deny_status 429"), txn);
        assertEquals(429, txn.reply.status());

        Files.writeString(home.resolve("page.html"), "<p>hi</p>");
        txn = new TestTransaction("GET", "/x");
        run(compile(Side.REQUEST, "return content-type text/html file page.html"), txn);
        assertEquals("<p>hi</p>", new String(txn.reply.body(), StandardCharsets.UTF_8));
    }

    @Test
    void responseRules() {
        TestTransaction txn = new TestTransaction("GET", "/").respond(200, "Server", "x");
        run(compile(Side.RESPONSE, "set-status 503 reason Busy if { status 200 }", "del-header Server",
                "set-header X-Status %[status]"), txn);
        assertEquals(503, txn.response.status());
        assertEquals("Busy", txn.response.reason);
        assertNull(txn.response.header("server"));
        assertEquals("503", txn.response.header("x-status"));
        TestTransaction denied = new TestTransaction("GET", "/").respond(200);
        run(compile(Side.RESPONSE, "deny"), denied);
        assertEquals(502, denied.reply.status());
    }

    @Test
    void afterResponseRulesTakeHaproxy26sListOnly() {
        TestTransaction txn = new TestTransaction("GET", "/").respond(200, "Server", "x");
        run(compile(Side.AFTER_RESPONSE, "set-status 299 if { status 200 }", "del-header Server",
                "set-var(txn.s) status", "set-header X-Status %[var(txn.s)]", "allow", "set-header X-Never 1"), txn);
        assertEquals(299, txn.response.status());
        assertNull(txn.response.header("server"));
        assertEquals("299", txn.response.header("x-status"));
        assertNull(txn.response.header("x-never"));
        for (String refused : List.of("deny", "return status 200", "redirect location /", "set-log-level info",
                "set-path /x", "use-service x")) {
            List<String> problems = problems(Side.AFTER_RESPONSE, refused);
            assertEquals(1, problems.size(), refused);
            assertTrue(problems.get(0).contains("unknown http-after-response action"), problems.get(0));
        }
    }

    @Test
    void predefinedAclsAndNegation() {
        TestTransaction post = new TestTransaction("POST", "/");
        List<Action> rules = compile(Side.REQUEST, "set-header X-Get 1 if METH_GET", "set-header X-Not-Get 1 if !METH_GET",
                "set-header X-True 1 if TRUE", "set-header X-False 1 if FALSE");
        run(rules, post);
        assertNull(post.request.header("x-get"));
        assertEquals("1", post.request.header("x-not-get"));
        assertEquals("1", post.request.header("x-true"));
        assertNull(post.request.header("x-false"));
        TestTransaction head = new TestTransaction("HEAD", "/");
        run(rules, head);
        assertEquals("1", head.request.header("x-get"));
    }

    @Test
    void aclsTestEveryValueOfMultiValuedFetches() {
        List<Action> rules = compile(Side.REQUEST,
                "set-header X-Foo 1 if { hdr(x-a) foo }",
                "set-header X-Json 1 if { hdr_sub(accept) json }",
                "set-header X-Cookie 1 if { cook(s) abc }",
                "set-header X-Param 1 if { urlp(p) two }",
                "set-header X-Last %[hdr(x-a)]");
        TestTransaction txn = new TestTransaction("GET", "/?p=one&p=two", "X-A", "foo, bar",
                "Accept", "application/json, text/html", "Cookie", "s=abc; s=zzz");
        run(rules, txn);
        for (String header : List.of("x-foo", "x-json", "x-cookie", "x-param")) {
            assertEquals("1", txn.request.header(header), header);
        }
        assertEquals("bar", txn.request.header("x-last"), "as a sample, the last value");
    }

    @Test
    void backslashesReachRegexesInArgumentsAndRules() {
        List<Action> rules = compile(Side.REQUEST,
                "set-header X-A %[hdr(x),regsub(\\.,_,g)]",
                "set-header X-B %[hdr(x),regsub(\\d,N,g)]",
                "set-header X-C %[hdr(x),regsub(\"[.]\",-,g)]");
        TestTransaction txn = new TestTransaction("GET", "/", "X", "a1b.c)");
        run(rules, txn);
        assertEquals("a1b_c)", txn.request.header("x-a"));
        assertEquals("aNb.c)", txn.request.header("x-b"));
        assertEquals("a1b-c)", txn.request.header("x-c"));
    }

    @Test
    void defaultMatchFollowsTheLastConverterAndVarNeedsAMethod() {
        TestTransaction txn = new TestTransaction("GET", "/", "X", "abcdef");
        run(compile(Side.REQUEST, "set-header X-Long 1 if { req.hdr(x),length gt 3 }",
                "set-header X-Neg 1 if !{ path /nope }", "set-header X-Double 1 if !!{ path / }"), txn);
        assertEquals("1", txn.request.header("x-long"));
        assertEquals("1", txn.request.header("x-neg"));
        assertEquals("1", txn.request.header("x-double"));
        assertTrue(problems(Side.REQUEST, "deny if { var(txn.n) gt 3 }").get(0).contains("-m"));
    }

    @Test
    void denyAndRedirectDetailsAsHaproxy() {
        TestTransaction txn = new TestTransaction("GET", "/");
        run(compile(Side.REQUEST, "deny status 429"), txn);
        assertEquals(429, txn.reply.status());
        assertEquals(0, txn.reply.body().length, "deny with return's 'status' keyword: empty body");
        txn = new TestTransaction("GET", "/");
        run(compile(Side.REQUEST, "deny deny_status 429 hdr x-y 1"), txn);
        assertEquals(0, txn.reply.body().length, "deny with hdr: empty body, as HAProxy");
        txn = new TestTransaction("GET", "/pre/a/b?x=1");
        run(compile(Side.REQUEST, "redirect prefix /v2 append-slash set-cookie SID clear-cookie OLD"), txn);
        assertEquals("/v2/pre/a/b?x=1/", txn.reply.headers().get(1).value(), "HAProxy appends after the query");
        assertEquals("SID; path=/;", txn.reply.headers().get(3).value());
        assertEquals("OLD; path=/; Max-Age=0;", txn.reply.headers().get(4).value());
    }

    @Test
    void replaceValueKeepsTheBlanksOfUntouchedValuesOnly() {
        // HAProxy 2.6.12: a rewritten value loses the blanks around it; the others keep theirs.
        TestTransaction txn = new TestTransaction("GET", "/", "X", "a1 , b2 ,a3");
        run(compile(Side.REQUEST, "replace-value X ^a(.*) z\\1"), txn);
        assertEquals("z1, b2 ,z3", txn.request.header("x"));
        TestTransaction quoted = new TestTransaction("GET", "/", "X", "a,  a\"x,y\" , \"a,q\",,   b ");
        run(compile(Side.REQUEST, "replace-value X ^a(.*) z\\1"), quoted);
        assertEquals("z,z\"x,y\", \"a,q\",,   b ", quoted.request.header("x"));
    }

    @Test
    void errorsNameRuleColumnAndOrigin() {
        acl("bad", "path_zzz /x");
        List<String> problems = problems(Side.REQUEST,
                "frobnicate now",
                "set-header X %[nosuch]",
                "set-header X %[path,nosuch]",
                "deny if undefined_acl",
                "deny if { path_beg /a",
                "set-var(nope) str(x)",
                "set-path /x",
                "set-status 200");
        String all = String.join("\n", problems);
        assertTrue(all.contains("t.conf:1: acl.bad: in rule \"path_zzz /x\" (column 1): unknown fetch method 'path_zzz' in ACL"), all);
        assertTrue(all.contains("t.conf:7: frontends.x.http-request: in rule \"frobnicate now\" (column 1): unknown http-request action 'frobnicate'"), all);
        assertTrue(all.contains("in rule \"set-header X %[nosuch]\" (column 16): unknown fetch method 'nosuch'"), all);
        assertTrue(all.contains("in rule \"set-header X %[path,nosuch]\" (column 21): unknown converter 'nosuch'"), all);
        assertTrue(all.contains("in rule \"deny if undefined_acl\" (column 9): unknown ACL 'undefined_acl'"), all);
        assertTrue(all.contains("in rule \"deny if { path_beg /a\" (column 9): '{' without a matching '}'"), all);
        assertTrue(all.contains("in rule \"set-var(nope) str(x)\" (column 1): 'set-var' variable 'nope' must be <scope>.<name>"), all);
        assertTrue(all.contains("in rule \"set-status 200\" (column 1): unknown http-request action 'set-status'"), all);
        assertEquals(8, problems.size(), all);
    }
}
