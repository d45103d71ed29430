package io.luagate.bench;

import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.rule.RuleCompiler;
import io.luagate.kernel.rule.TestTransaction;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The rule-engine bar: a frontend of 10 {@code http-request} rules with 3 ACLs each and one map
 * look-up, evaluated on a typical request. Run with {@code -prof gc} for bytes allocated per request
 * (gc.alloc.rate.norm). The transaction is rebuilt per invocation (its cost is measured
 * separately by {@link #transactionOnly}) so that every invocation starts from the same request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RuleEngineBench {

    private List<Action> rules;

    @Setup
    public void compile() throws IOException {
        Path home = Files.createTempDirectory("luagate-bench");
        Files.writeString(home.resolve("hosts.map"), "shop.example.com shop\nblog.example.com blog\napi.example.com api\n");
        SampleRegistry registry = new SampleRegistry();
        BuiltinFetches.register(registry);
        BuiltinConverters.register(registry);
        MapConverters.register(registry);
        RuleCompiler compiler = new RuleCompiler(new CompileContext(home, new Maps(home), registry), ActionTable.builtin());
        Map<String, List<Settings.Rule>> acls = new LinkedHashMap<>();
        acls.put("is_api", List.of(rule("path_beg /api/ /v2/")));
        acls.put("is_static", List.of(rule("path_end .css .js .png")));
        acls.put("is_admin", List.of(rule("hdr(x-role) -i admin")));
        acls.put("is_get", List.of(rule("method GET HEAD")));
        acls.put("has_auth", List.of(rule("hdr(authorization) -m found")));
        acls.put("is_json", List.of(rule("hdr(accept) -m sub json")));
        acls.put("beta", List.of(rule("cook(beta) 1")));
        acls.put("old_ua", List.of(rule("hdr(user-agent) -m reg MSIE [5-8]")));
        acls.put("long_q", List.of(rule("query -m len gt 200")));
        Problems problems = new Problems();
        Map<String, List<Acl>> compiled = compiler.acls(acls, "acl", problems);
        List<Settings.Rule> list = new ArrayList<>();
        list.add(rule("set-var(txn.site) req.hdr(host),lower,map(hosts.map,default) if is_get !is_static !old_ua"));
        list.add(rule("set-header X-Api 1 if is_api is_json !long_q"));
        list.add(rule("set-header X-Admin 1 if is_admin has_auth is_get"));
        list.add(rule("del-header X-Debug if !is_admin !beta is_get"));
        list.add(rule("set-var(txn.beta) str(yes) if beta is_get !old_ua"));
        list.add(rule("add-header X-Static 1 if is_static is_get !is_api"));
        list.add(rule("deny if old_ua is_admin long_q"));
        list.add(rule("set-header X-Json 1 if is_json is_get !is_static"));
        list.add(rule("set-var(req.kind) str(api) if is_api !is_static is_get"));
        list.add(rule("return status 403 if long_q is_admin old_ua"));
        rules = compiler.actions(list, Side.REQUEST, compiled, "frontends.bench.http-request", problems);
        problems.throwIfAny();
    }

    private static Settings.Rule rule(String text) {
        return new Settings.Rule(text, "bench");
    }

    private static TestTransaction request() {
        return new TestTransaction("GET", "/api/users/42?expand=1", "Host", "Shop.Example.com",
                "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", "Accept", "application/json",
                "Cookie", "session=abc; beta=1", "X-Role", "user");
    }

    @Benchmark
    public Object transactionOnly() {
        return request();
    }

    @Benchmark
    public Object tenRulesThirtyAclsOneMap() {
        TestTransaction txn = request();
        for (int i = 0, n = rules.size(); i < n; i++) {
            if (rules.get(i).execute(txn) == Verdict.STOP) {
                break;
            }
        }
        return txn;
    }
}
