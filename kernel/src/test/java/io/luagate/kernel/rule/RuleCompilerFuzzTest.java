package io.luagate.kernel.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.rule.acl.Acl;
import io.luagate.kernel.rule.action.ActionTable;
import io.luagate.kernel.rule.action.Side;
import io.luagate.kernel.rule.conv.BuiltinConverters;
import io.luagate.kernel.rule.expr.ExprParser;
import io.luagate.kernel.rule.fetch.BuiltinFetches;
import io.luagate.kernel.rule.map.MapConverters;
import io.luagate.kernel.rule.map.Maps;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.SampleRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes the rule language's compilers: whatever a configuration author writes, each line either
 * compiles or becomes a configuration problem that names the line and key; no other exception
 * escapes. Every line of an input is compiled as an {@code acl} (named {@code a}, so the other
 * lines' conditions can use it), as a rule of every side, as a {@code use-backend} rule, as a
 * {@code log-format} and as a sample expression.
 *
 * <p>Under {@code ./mvnw verify} this replays the inputs in
 * {@code src/test/resources/io/luagate/kernel/rule/RuleCompilerFuzzTestInputs/rules/};
 * {@code bench/fuzz.sh} fuzzes it.
 */
class RuleCompilerFuzzTest {

    /** A home with one map file, so that map converters have something real to load. */
    private static final Path HOME = home();
    private static final RuleCompiler COMPILER;
    private static final ExprParser EXPRESSIONS;

    static {
        SampleRegistry registry = new SampleRegistry();
        BuiltinFetches.register(registry);
        BuiltinConverters.register(registry);
        MapConverters.register(registry);
        CompileContext context = new CompileContext(HOME, new Maps(HOME), registry, Set.of("app", "api"), name -> null);
        COMPILER = new RuleCompiler(context, ActionTable.builtin());
        EXPRESSIONS = new ExprParser(context);
    }

    private static Path home() {
        try {
            Path home = Files.createTempDirectory("rule-fuzz");
            home.toFile().deleteOnExit();
            Path map = Files.writeString(home.resolve("hosts.map"), "example.com app\n.example.org api\n");
            map.toFile().deleteOnExit();
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void rules(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        List<Settings.Rule> lines = new ArrayList<>();
        int number = 1;
        for (String line : text.split("\n", 8)) {
            lines.add(new Settings.Rule(line, "fuzz.conf:" + number++));
        }

        Problems problems = new Problems();
        Map<String, List<Acl>> acls = COMPILER.acls(Map.of("a", lines), "acl", problems);
        int expected = lines.size() - acls.get("a").size();
        for (Side side : Side.values()) {
            expected += lines.size() - COMPILER.actions(lines, side, acls, side.listName(), problems).size();
        }
        expected += lines.size() - COMPILER.backendRules(lines, acls, name -> null, "use-backend", problems).size();
        for (Settings.Rule line : lines) {
            if (COMPILER.logFormat(line, "log-format", problems) == null) {
                expected++;
            }
            try {
                EXPRESSIONS.parse(line.text(), 1);
            } catch (RuleSyntaxException e) {
                assertTrue(e.column() >= 0, "column " + e.column());
            }
        }
        // One located problem per line refused (tcp inspect-delay is read elsewhere, not refused twice).
        assertEquals(expected, problems.list().size(), () -> problems.list().toString());
        for (ConfigProblem problem : problems.list()) {
            assertTrue(problem.origin().startsWith("fuzz.conf:"), problem::toString);
            assertTrue(!problem.key().isEmpty() && !problem.message().isEmpty(), problem::toString);
        }
    }
}
