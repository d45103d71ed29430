package io.luagate.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.luagate.kernel.plugin.Plugins;
import io.luagate.kernel.proxy.ProxyBuilder;
import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.balancer.BalancerContext;
import io.luagate.spi.balancer.BalancerFactory;
import io.luagate.spi.balancer.HashFunction;
import io.luagate.spi.balancer.HashMethod;
import io.luagate.spi.balancer.HashType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend's balance, hash-type and hash-balance-factor as the kernel reads them, and what a
 * balancer plugin is then given to check: its arguments, its own keys, the key it asks for.
 */
class BalanceConfigTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("test.conf");
    }

    private Settings settings(String backend) throws IOException {
        return ConfigLoader.load(Files.writeString(file(), """
                frontends.web { bind = [ "127.0.0.1:1" ], default-backend = app }
                backends.app {
                """ + backend + """

                  servers { a = "127.0.0.1:2" }, http-reuse = never
                }
                """), dir);
    }

    private Settings.Balancing balancing(String backend) throws IOException {
        return settings(backend).backends().get("app").balancing();
    }

    private List<String> readProblems(String backend) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> settings(backend));
        return e.problems().stream().map(p -> p.toString().replace(file().toString(), "F")).toList();
    }

    @Test
    void balanceIsSplitIntoTheAlgorithmAndItsArguments() throws IOException {
        assertEquals("roundrobin", balancing("").algorithm());
        assertEquals(List.of(), balancing("").arguments());
        assertEquals(List.of("3"), balancing("balance = \"random(3)\"").arguments());
        assertEquals("random", balancing("balance = \"random()\"").algorithm());
        assertEquals(List.of(), balancing("balance = \"random()\"").arguments());
        assertEquals(List.of("id"), balancing("balance = \"url_param(id)\"").arguments());
        assertEquals(List.of("id"), balancing("balance = \"url_param id\"").arguments());
        assertEquals(List.of("host", "use_domain_only"), balancing("balance = \"hdr(host) use_domain_only\"").arguments());
        Settings.Balancing hash = balancing("balance = \"hash req.hdr(x-user),lower\"");
        assertEquals("hash", hash.algorithm());
        assertEquals(List.of("req.hdr(x-user),lower"), hash.arguments());
        assertEquals("hash", settings("balance = \"hash src\"").backends().get("app").balance());
        assertEquals(List.of("len", "10", "whole"), balancing("balance = \"uri len 10 whole\"").arguments());
        assertEquals(file() + ":3", balancing("balance = leastconn").origin());
    }

    @Test
    void aMalformedBalanceNamesItsLine() {
        assertEquals(List.of("F:3: backends.app.balance: 'random(3': missing closing parenthesis"),
                readProblems("balance = \"random(3\""));
        assertEquals(List.of("F:3: backends.app.balance: 'random(3)x': unexpected character 'x' after ')'"),
                readProblems("balance = \"random(3)x\""));
        assertEquals(List.of("F:3: backends.app.balance: 'Leastconn' does not start with an algorithm name (lower-case letters, digits, '_' and '-')"),
                readProblems("balance = Leastconn"));
        assertEquals(List.of("F:3: backends.app.balance: 'hdr(a,)': an empty argument in the parentheses"),
                readProblems("balance = \"hdr(a,)\""));
    }

    @Test
    void hashTypeIsHaproxysMethodFunctionAndModifier() throws IOException {
        assertEquals(HashType.DEFAULT, balancing("").hashType());
        assertEquals(new HashType(HashMethod.CONSISTENT, HashFunction.SDBM, true), balancing("hash-type = consistent").hashType(),
                "consistent alone avalanches, as in HAProxy");
        assertEquals(new HashType(HashMethod.CONSISTENT, HashFunction.DJB2, false), balancing("hash-type = \"consistent djb2\"").hashType());
        assertEquals(new HashType(HashMethod.MAP_BASED, HashFunction.CRC32, true),
                balancing("hash-type = \"map-based crc32 avalanche\"").hashType());
        assertEquals(new HashType(HashMethod.MAP_BASED, HashFunction.WT6, false), balancing("hash-type = \"map-based wt6\"").hashType());
        assertEquals(List.of("F:3: backends.app.hash-type: 'ring' is not a hashing method: consistent or map-based"),
                readProblems("hash-type = ring"));
        assertEquals(List.of("F:3: backends.app.hash-type: 'md5' is not a hash function: sdbm, djb2, crc32 or wt6"),
                readProblems("hash-type = \"consistent md5\""));
        assertEquals(List.of("F:3: backends.app.hash-type: 'fast' is not a modifier: only avalanche"),
                readProblems("hash-type = \"consistent sdbm fast\""));
    }

    @Test
    void hashBalanceFactorIsZeroOrAbove100() throws IOException {
        assertEquals(0, balancing("").hashBalanceFactor());
        assertEquals(150, balancing("hash-balance-factor = 150").hashBalanceFactor());
        assertEquals(List.of("F:3: backends.app.hash-balance-factor: must be 0 or greater than 100, not 100"),
                readProblems("hash-balance-factor = 100"));
        assertEquals(1, readProblems("hash-balance-factor = -1").size());
    }

    /** The ring numbers servers by position and the first backup serves: entries on one line keep their order. */
    @Test
    void serversWrittenOnOneLineKeepTheirOrder() throws IOException {
        Settings settings = ConfigLoader.load(Files.writeString(file(), """
                frontends.web { bind = [ "127.0.0.1:1" ], default-backend = app }
                backends.app { servers { zz = "127.0.0.1:2", b = "127.0.0.1:3", "a-1" = "127.0.0.1:4", m { address = "127.0.0.1:5" } }
                  http-reuse = never }
                """), dir);
        assertEquals(List.of("zz", "b", "a-1", "m"),
                settings.backends().get("app").servers().stream().map(Settings.Server::name).toList());
    }

    @Test
    void defaultsMayHoldTheHashingKeys() throws IOException {
        Settings settings = ConfigLoader.load(Files.writeString(file(), """
                defaults.backend { hash-type = consistent, hash-balance-factor = 125 }
                frontends.web { bind = [ "127.0.0.1:1" ], default-backend = app }
                backends.app { balance = source, servers { a = "127.0.0.1:2" } }
                """), dir);
        Settings.Balancing balancing = settings.backends().get("app").balancing();
        assertEquals(HashMethod.CONSISTENT, balancing.hashType().method());
        assertEquals(125, balancing.hashBalanceFactor());
    }

    /** A balancer with a key of its own ({@code colour}) and an argument it checks, recording what it was told. */
    private static final class TestFactory implements BalancerFactory {

        final List<String> seen = new ArrayList<>();

        @Override
        public String algorithm() {
            return "tinted";
        }

        @Override
        public List<String> otherAlgorithms() {
            return List.of("tinted-hash");
        }

        @Override
        public void check(BalancerContext context) {
            String colour = context.options().has("colour") ? context.options().string("colour") : "none";
            if (!List.of("none", "red", "blue").contains(colour)) {
                context.options().problem("colour", "must be red or blue");
            }
            if (context.arguments().size() > 1) {
                context.problem("takes at most one argument");
            }
            if (context.algorithm().equals("tinted-hash")) {
                context.useKey(context.arguments().isEmpty() ? "src" : context.arguments().get(0));
            }
            seen.add(context.backend() + " " + context.algorithm() + " " + context.arguments() + " " + colour + " "
                    + context.hashType().method() + " " + context.hashBalanceFactor());
        }

        @Override
        public Balancer create(BalancerContext context) {
            throw new UnsupportedOperationException("only checked here");
        }
    }

    private List<String> validate(TestFactory factory, String backend) throws IOException {
        Settings settings = settings(backend);
        try (Plugins plugins = new Plugins(dir.resolve("no-plugins"), () -> null)) {
            ProxyBuilder builder = new ProxyBuilder(settings, plugins, TestCodecs.HTTP_AND_TCP, Map.of("tinted", factory, "tinted-hash", factory), dir,
                    null, RuleLanguage.builtin(dir, Map.of()), null);
            return builder.validate().list().stream().map(p -> p.toString().replace(file().toString(), "F")).toList();
        }
    }

    @Test
    void thePluginReadsItsArgumentsAndItsOwnKeys() throws IOException {
        TestFactory factory = new TestFactory();
        assertEquals(List.of(), validate(factory, "balance = \"tinted(1)\", colour = red, hash-type = consistent, hash-balance-factor = 150"));
        assertEquals(List.of("app tinted [1] red CONSISTENT 150"), factory.seen);
    }

    @Test
    void keysNobodyReadsAreUnknownAndThePluginsProblemsNameTheirLines() throws IOException {
        assertEquals(List.of("F:3: backends.app.colour: must be red or blue", "F:3: backends.app.flavour: unknown key"),
                validate(new TestFactory(), "balance = tinted, colour = green, flavour = sweet"));
        assertEquals(List.of("F:3: backends.app.balance: takes at most one argument"),
                validate(new TestFactory(), "balance = \"tinted a b\""));
    }

    @Test
    void anOtherNameOfAFactoryIsServedByItAndItsKeyIsCompiled() throws IOException {
        TestFactory factory = new TestFactory();
        assertEquals(List.of(), validate(factory, "balance = \"tinted-hash req.hdr(x-user),lower\""));
        assertEquals(List.of("app tinted-hash [req.hdr(x-user),lower] none MAP_BASED 0"), factory.seen);
        List<String> problems = validate(new TestFactory(), "balance = \"tinted-hash req.nosuchfetch\"");
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(true, problems.get(0).startsWith("F:3: backends.app.balance: in expression \"req.nosuchfetch\": "), problems.get(0));
    }

    @Test
    void aBackendWithoutItsBalancerPluginHasItsKeysLeftUntold() throws IOException {
        List<String> problems = validate(new TestFactory(), "balance = leastconn, colour = red");
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(true, problems.get(0).contains("backends.app.balance: no installed plugin provides balance 'leastconn' (installed: tinted, tinted-hash)"), problems.get(0));
    }
}
