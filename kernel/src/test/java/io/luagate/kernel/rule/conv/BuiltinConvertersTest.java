package io.luagate.kernel.rule.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.map.Maps;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.ConverterCompiler;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Converter;
import io.luagate.spi.sample.VarScope;
import io.luagate.spi.stream.Stream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HAProxy 2.6's converters, case by case against HAProxy itself.
 *
 * <p>Every expected value was produced by HAProxy 2.6.12 (Debian 2.6.12-1+deb12u4, built with
 * PCRE2 and OpenSSL 3.0) from the sample expression that names the case: the expression ran as
 * {@code http-request set-var(txn.r) <expression>}, then {@code http-request return} printed
 * {@code lf-string "%[var(txn.r)]\n%[var(txn.r),hex]\n%[var(txn.r),length]"}. Integers, booleans
 * and IPv4 addresses are written here as the first line shows them, strings, binaries and IPv6
 * addresses as the hex line decodes; FAIL means HAProxy set no variable (the conversion had no
 * result: the length line was empty). The variables of {@link #VARS} were set first with
 * {@code http-request set-var}. HAProxy ran with TZ=UTC, except for {@link #parisCases()}
 * (TZ=Europe/Paris, and the JVM's default time zone set to match).
 *
 * <p>Deliberate differences, marked where they appear: {@code add} and {@code sub} of negative
 * numbers follow the upstream fix of HAProxy bug #2216 (2.6.12 returns 2^63-1); luagate has no
 * {@code check.} variable scope; a regsub substitution ending in a lone backslash or a cut
 * {@code \x} escape is refused at load (HAProxy 2.6.12 emits garbage or a 500 at run time).
 */
class BuiltinConvertersTest {

    /** The variables every case can read, set in HAProxy with {@code set-var(<name>) <fetch>}. */
    private static final Map<String, Object> VARS = Map.ofEntries(
            Map.entry("txn.k", str("c2VjcmV0")),
            Map.entry("txn.kbad", str("c2VjcmV0x")),
            Map.entry("txn.kempty", str("")),
            Map.entry("txn.s", str("abc")),
            Map.entry("txn.s2", str("abd")),
            Map.entry("txn.sb", str("ab")),
            Map.entry("txn.up", str("ABC")),
            Map.entry("txn.es", str("")),
            Map.entry("txn.n", sint(7)),
            Map.entry("txn.z", sint(0)),
            Map.entry("txn.sn", str("12abc")),
            Map.entry("txn.bb", bin("616263")),
            Map.entry("txn.bz", bin("610062")),
            Map.entry("txn.ip", ipv4("0.0.1.2")),
            Map.entry("txn.ip6", ipv6("::1")),
            Map.entry("txn.t", bool(true)),
            Map.entry("txn.min", sint(Long.MIN_VALUE)),
            Map.entry("txn.b12", bin("3132")));

    private static final Transaction TXN = new VarsOnly(VARS);

    @TempDir
    Path home;

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("cases")
    void convertsLikeHaproxy(String haproxy, String keyword, List<String> args, Object input, String expected)
            throws RuleSyntaxException {
        Converter converter = compileIn("Etc/UTC", keyword, args);
        assertEquals(expected, render(converter.convert(TXN, input)), haproxy);
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("parisCases")
    void convertsDatesLikeHaproxyInParis(String haproxy, String keyword, List<String> args, Object input, String expected)
            throws RuleSyntaxException {
        Converter converter = compileIn("Europe/Paris", keyword, args);
        assertEquals(expected, render(converter.convert(TXN, input)), haproxy);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void refusesWhatHaproxyRefusesAtLoad(String haproxy, String keyword, List<String> args) {
        assertThrows(RuleSyntaxException.class, () -> compile(keyword, args), haproxy);
    }

    @Test
    void registersEveryConverterButTheMaps() {
        SampleRegistry registry = new SampleRegistry();
        BuiltinConverters.register(registry);
        Set<String> expected = new TreeSet<>(List.of("lower", "upper", "json", "base64", "b64dec", "ub64enc", "ub64dec",
                "url_enc", "url_dec", "sdbm", "djb2", "wt6", "crc32", "crc32c", "xxh32", "xxh64", "sha1", "sha2", "hmac",
                "hex", "hex2i", "bytes", "length", "field", "word", "regsub", "ltrim", "rtrim", "concat", "ipmask",
                "http_date", "ltime", "utime", "add", "sub", "mul", "div", "mod", "neg", "and", "or", "xor", "not", "bool",
                "odd", "even", "strcmp", "iif", "cpl", "digest", "secure_memcmp"));
        assertEquals(expected, registry.converterKeywords());
    }

    @Test
    void compiledConvertersAreSafeToShareBetweenThreads() throws Exception {
        Converter hmac = compile("hmac", List.of("sha256", "c2VjcmV0"));
        Converter regsub = compile("regsub", List.of("(b+)", "<\\1>", "g"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        String hex = render(hmac.convert(TXN, str("abc")));
                        String sub = render(regsub.convert(TXN, str("abbc" + i)));
                        if (!hex.equals("bin:9946DAD4E00E913FC8BE8E5D3F7E110A4A9E832F83FB09C345285D78638D8A0E")
                                || !sub.equals("str:a<bb>c" + i)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertEquals(true, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Compiles with the JVM's default time zone set to {@code zone}: ltime and utime read it at load. */
    private Converter compileIn(String zone, String keyword, List<String> args) throws RuleSyntaxException {
        TimeZone saved = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone(zone));
            return compile(keyword, args);
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    private Converter compile(String keyword, List<String> args) throws RuleSyntaxException {
        SampleRegistry registry = new SampleRegistry();
        BuiltinConverters.register(registry);
        ConverterCompiler compiler = registry.converter(keyword);
        return compiler.compile(new Args(keyword, args, 1), new CompileContext(home, new Maps(home), registry));
    }

    /** A result as the cases write it: {@code str:}, {@code int:}, {@code bool:}, {@code bin:HEX}, {@code ipv4:}, {@code ipv6:HEX} or FAIL. */
    private static String render(Object result) {
        return switch (result) {
            case null -> "FAIL";
            case String s -> "str:" + s;
            case Long l -> "int:" + l;
            case Boolean b -> "bool:" + b;
            case byte[] bytes -> "bin:" + HexFormat.of().withUpperCase().formatHex(bytes);
            case Inet4Address a -> "ipv4:" + a.getHostAddress();
            case Inet6Address a -> "ipv6:" + HexFormat.of().withUpperCase().formatHex(a.getAddress());
            default -> "unexpected " + result.getClass().getName() + ": " + result;
        };
    }

    private static Arguments c(String haproxy, String keyword, List<String> args, Object input, String expected) {
        return Arguments.of(haproxy, keyword, args, input, expected);
    }

    private static Arguments e(String haproxy, String keyword, List<String> args) {
        return Arguments.of(haproxy, keyword, args);
    }

    /** HAProxy's str(): one char per byte. */
    private static String str(String s) {
        return s;
    }

    private static byte[] bin(String hex) {
        return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
    }

    private static Long sint(long value) {
        return value;
    }

    private static Boolean bool(boolean value) {
        return value;
    }

    private static InetAddress ipv4(String text) {
        return address(text);
    }

    /** HAProxy's ipv6(): an IPv6 sample even for ::ffff:a.b.c.d (which Java would make IPv4). */
    private static InetAddress ipv6(String text) {
        try {
            InetAddress parsed = address(text);
            byte[] bytes = parsed.getAddress();
            if (bytes.length == 4) {
                bytes = new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, bytes[0], bytes[1], bytes[2], bytes[3]};
            }
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A literal address (never looked up: InetAddress only parses literals here). */
    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A transaction that only has variables: the converters' one boundary. */
    private record VarsOnly(Map<String, Object> vars) implements Transaction {

        @Override
        public Object var(VarScope scope, String name) {
            return vars.get(scope.name().toLowerCase(Locale.ROOT) + "." + name);
        }

        @Override
        public void setVar(VarScope scope, String name, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Stream stream() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void reply(HttpReply reply) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpHead request() {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpHead response() {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] requestBody() {
            throw new UnsupportedOperationException();
        }
    }

    // ------------------------------------------------------------------ the cases (generated from HAProxy's output)

    static java.util.stream.Stream<Arguments> cases() {
        return java.util.stream.Stream.of(
                c("str(Hello-World_1),lower", "lower", List.of(), str("Hello-World_1"), "str:hello-world_1"),
                c("str(Hello-World_1),upper", "upper", List.of(), str("Hello-World_1"), "str:HELLO-WORLD_1"),
                c("bin(41C9e900),lower", "lower", List.of(), bin("41C9e900"), "str:a\u00C9\u00E9"),
                c("bin(4142004344),lower", "lower", List.of(), bin("4142004344"), "str:ab"),
                c("int(12),upper", "upper", List.of(), sint(12L), "str:12"),
                c("int(-12),lower", "lower", List.of(), sint(-12L), "str:-12"),
                c("bool(1),upper", "upper", List.of(), bool(true), "str:1"),
                c("ipv4(10.1.2.3),lower", "lower", List.of(), ipv4("10.1.2.3"), "str:10.1.2.3"),
                c("ipv6(2001:db8::1),upper", "upper", List.of(), ipv6("2001:db8::1"), "str:2001:DB8::1"),
                c("ipv6(::ffff:1.2.3.4),upper", "upper", List.of(), ipv6("::ffff:1.2.3.4"), "str:::FFFF:1.2.3.4"),
                c("ipv6(::1.2.3.4),upper", "upper", List.of(), ipv6("::1.2.3.4"), "str:::1.2.3.4"),
                c("ipv6(1:0:0:1:0:0:0:1),upper", "upper", List.of(), ipv6("1:0:0:1:0:0:0:1"), "str:1:0:0:1::1"),
                c("ipv6(1:0:0:1:0:0:1:1),upper", "upper", List.of(), ipv6("1:0:0:1:0:0:1:1"), "str:1::1:0:0:1:1"),
                c("ipv6(::),upper", "upper", List.of(), ipv6("::"), "str:::"),
                c("ipv6(fe80::0:0),upper", "upper", List.of(), ipv6("fe80::0:0"), "str:FE80::"),
                c("ipv6(::1),lower", "lower", List.of(), ipv6("::1"), "str:::1"),
                c("str(hello),length", "length", List.of(), str("hello"), "int:5"),
                c("str(),length", "length", List.of(), str(""), "int:0"),
                c("bin(4142004344),length", "length", List.of(), bin("4142004344"), "int:2"),
                c("int(-123),length", "length", List.of(), sint(-123L), "int:4"),
                c("str(xxhixx),ltrim(x)", "ltrim", List.of("x"), str("xxhixx"), "str:hixx"),
                c("str(xxhixx),rtrim(x)", "rtrim", List.of("x"), str("xxhixx"), "str:xxhi"),
                c("str(xyhiyx),ltrim(xy)", "ltrim", List.of("xy"), str("xyhiyx"), "str:hiyx"),
                c("str(xyhiyx),rtrim(yx)", "rtrim", List.of("yx"), str("xyhiyx"), "str:xyhi"),
                c("str(xxxx),ltrim(x)", "ltrim", List.of("x"), str("xxxx"), "str:"),
                c("str(xxxx),rtrim(x)", "rtrim", List.of("x"), str("xxxx"), "str:"),
                c("str(abc),ltrim(\"\")", "ltrim", List.of(""), str("abc"), "str:abc"),
                c("int(1100),rtrim(0)", "rtrim", List.of("0"), sint(1100L), "str:11"),
                c("str(abcdef),bytes(2)", "bytes", List.of("2"), str("abcdef"), "bin:63646566"),
                c("str(abcdef),bytes(2,3)", "bytes", List.of("2", "3"), str("abcdef"), "bin:636465"),
                c("str(abcdef),bytes(2,10)", "bytes", List.of("2", "10"), str("abcdef"), "bin:63646566"),
                c("str(abcdef),bytes(6)", "bytes", List.of("6"), str("abcdef"), "bin:"),
                c("str(abcdef),bytes(7)", "bytes", List.of("7"), str("abcdef"), "bin:"),
                c("str(abcdef),bytes(0,0)", "bytes", List.of("0", "0"), str("abcdef"), "bin:"),
                c("str(abcdef),bytes(-1)", "bytes", List.of("-1"), str("abcdef"), "bin:"),
                c("str(abcdef),bytes(1,-1)", "bytes", List.of("1", "-1"), str("abcdef"), "bin:6263646566"),
                c("str(abcdef),bytes(0)", "bytes", List.of("0"), str("abcdef"), "bin:616263646566"),
                c("int(258),bytes(6)", "bytes", List.of("6"), sint(258L), "bin:0102"),
                c("bin(00010203),bytes(1,2)", "bytes", List.of("1", "2"), bin("00010203"), "bin:0102"),
                c("str(x),concat", "concat", List.of(), str("x"), "str:x"),
                c("str(x),concat()", "concat", List.of(), str("x"), "str:x"),
                c("str(x),concat(a)", "concat", List.of("a"), str("x"), "str:xa"),
                c("str(x),concat(a,txn.s)", "concat", List.of("a", "txn.s"), str("x"), "str:xaabc"),
                c("str(x),concat(a,txn.s,b)", "concat", List.of("a", "txn.s", "b"), str("x"), "str:xaabcb"),
                c("str(x),concat(,txn.s,)", "concat", List.of("", "txn.s", ""), str("x"), "str:xabc"),
                c("str(x),concat(,txn.none,b)", "concat", List.of("", "txn.none", "b"), str("x"), "str:xb"),
                c("str(x),concat(,txn.n,b)", "concat", List.of("", "txn.n", "b"), str("x"), "str:x7b"),
                c("str(x),concat(,txn.ip,b)", "concat", List.of("", "txn.ip", "b"), str("x"), "str:x0.0.1.2b"),
                c("str(x),concat(,txn.bz,b)", "concat", List.of("", "txn.bz", "b"), str("x"), "str:xab"),
                c("str(x),concat(,txn.t,b)", "concat", List.of("", "txn.t", "b"), str("x"), "str:x1b"),
                c("int(5),concat(a)", "concat", List.of("a"), sint(5L), "str:5a"),
                c("str(x),concat(,,b)", "concat", List.of("", "", "b"), str("x"), "str:xb"),
                c("str(abc),strcmp(txn.s)", "strcmp", List.of("txn.s"), str("abc"), "int:0"),
                c("str(abc),strcmp(txn.s2)", "strcmp", List.of("txn.s2"), str("abc"), "int:-1"),
                c("str(abd),strcmp(txn.s)", "strcmp", List.of("txn.s"), str("abd"), "int:1"),
                c("str(abc),strcmp(txn.sb)", "strcmp", List.of("txn.sb"), str("abc"), "int:1"),
                c("str(ab),strcmp(txn.s)", "strcmp", List.of("txn.s"), str("ab"), "int:-1"),
                c("str(a),strcmp(txn.up)", "strcmp", List.of("txn.up"), str("a"), "int:32"),
                c("str(abz),strcmp(txn.s)", "strcmp", List.of("txn.s"), str("abz"), "int:23"),
                c("str(abc),strcmp(txn.none)", "strcmp", List.of("txn.none"), str("abc"), "FAIL"),
                c("str(7),strcmp(txn.n)", "strcmp", List.of("txn.n"), str("7"), "int:0"),
                c("str(a),strcmp(txn.bz)", "strcmp", List.of("txn.bz"), str("a"), "int:0"),
                c("bin(610063),strcmp(txn.bz)", "strcmp", List.of("txn.bz"), bin("610063"), "int:0"),
                c("str(),strcmp(txn.es)", "strcmp", List.of("txn.es"), str(""), "int:0"),
                c("bool(1),iif(yes,no)", "iif", List.of("yes", "no"), bool(true), "str:yes"),
                c("bool(0),iif(yes,no)", "iif", List.of("yes", "no"), bool(false), "str:no"),
                c("int(5),iif(yes,no)", "iif", List.of("yes", "no"), sint(5L), "str:yes"),
                c("int(0),iif(yes,no)", "iif", List.of("yes", "no"), sint(0L), "str:no"),
                c("int(-1),iif(yes,no)", "iif", List.of("yes", "no"), sint(-1L), "str:yes"),
                c("str(1),iif(yes,no)", "iif", List.of("yes", "no"), str("1"), "str:yes"),
                c("str(0),iif(yes,no)", "iif", List.of("yes", "no"), str("0"), "str:no"),
                c("str(abc),iif(yes,no)", "iif", List.of("yes", "no"), str("abc"), "str:no"),
                c("str(),iif(yes,no)", "iif", List.of("yes", "no"), str(""), "FAIL"),
                c("str(2x),iif(yes,no)", "iif", List.of("yes", "no"), str("2x"), "str:yes"),
                c("bool(1),iif(,no)", "iif", List.of("", "no"), bool(true), "str:"),
                c("str(f1_f2_f3__f5),field(5,_)", "field", List.of("5", "_"), str("f1_f2_f3__f5"), "str:f5"),
                c("str(f1_f2_f3__f5),field(2,_,0)", "field", List.of("2", "_", "0"), str("f1_f2_f3__f5"), "str:f2_f3__f5"),
                c("str(f1_f2_f3__f5),field(2,_,2)", "field", List.of("2", "_", "2"), str("f1_f2_f3__f5"), "str:f2_f3"),
                c("str(f1_f2_f3__f5),field(-2,_,3)", "field", List.of("-2", "_", "3"), str("f1_f2_f3__f5"), "str:f2_f3_"),
                c("str(f1_f2_f3__f5),field(-3,_,0)", "field", List.of("-3", "_", "0"), str("f1_f2_f3__f5"), "str:f1_f2_f3"),
                c("str(f1_f2_f3__f5),field(4,_)", "field", List.of("4", "_"), str("f1_f2_f3__f5"), "str:"),
                c("str(f1_f2_f3__f5),field(6,_)", "field", List.of("6", "_"), str("f1_f2_f3__f5"), "FAIL"),
                c("str(f1_f2_f3__f5),field(-5,_)", "field", List.of("-5", "_"), str("f1_f2_f3__f5"), "str:f1"),
                c("str(f1_f2_f3__f5),field(-6,_)", "field", List.of("-6", "_"), str("f1_f2_f3__f5"), "FAIL"),
                c("str(f1_f2_f3__f5),field(1,_)", "field", List.of("1", "_"), str("f1_f2_f3__f5"), "str:f1"),
                c("str(f1_f2_f3__f5),field(-1,_)", "field", List.of("-1", "_"), str("f1_f2_f3__f5"), "str:f5"),
                c("str(a.b-c),field(2,.-)", "field", List.of("2", ".-"), str("a.b-c"), "str:b"),
                c("str(a.b-c),field(3,.-)", "field", List.of("3", ".-"), str("a.b-c"), "str:c"),
                c("str(f1_f2_f3__f5),field(2,_,-1)", "field", List.of("2", "_", "-1"), str("f1_f2_f3__f5"), "str:f2_f3__f5"),
                c("str(f1_f2_f3__f5),field(4,_,3)", "field", List.of("4", "_", "3"), str("f1_f2_f3__f5"), "str:_f5"),
                c("str(f1_f2),field(2,_,5)", "field", List.of("2", "_", "5"), str("f1_f2"), "str:f2"),
                c("str(f1_f2_f3),field(-1,_,5)", "field", List.of("-1", "_", "5"), str("f1_f2_f3"), "str:f1_f2_f3"),
                c("str(),field(1,_)", "field", List.of("1", "_"), str(""), "str:"),
                c("str(),field(-1,_)", "field", List.of("-1", "_"), str(""), "str:"),
                c("str(abc),field(1,_)", "field", List.of("1", "_"), str("abc"), "str:abc"),
                c("str(abc),field(2,_)", "field", List.of("2", "_"), str("abc"), "FAIL"),
                c("str(_a_),field(1,_)", "field", List.of("1", "_"), str("_a_"), "str:"),
                c("str(_a_),field(3,_)", "field", List.of("3", "_"), str("_a_"), "str:"),
                c("str(_a_),field(-1,_)", "field", List.of("-1", "_"), str("_a_"), "str:"),
                c("str(_a_),field(-3,_)", "field", List.of("-3", "_"), str("_a_"), "str:"),
                c("str(_a_),field(2,_)", "field", List.of("2", "_"), str("_a_"), "str:a"),
                c("int(12345),field(2,3)", "field", List.of("2", "3"), sint(12345L), "str:45"),
                c("str(f1_f2_f3__f5),word(4,_)", "word", List.of("4", "_"), str("f1_f2_f3__f5"), "str:f5"),
                c("str(f1_f2_f3__f5),word(2,_,0)", "word", List.of("2", "_", "0"), str("f1_f2_f3__f5"), "str:f2_f3__f5"),
                c("str(f1_f2_f3__f5),word(3,_,2)", "word", List.of("3", "_", "2"), str("f1_f2_f3__f5"), "str:f3__f5"),
                c("str(f1_f2_f3__f5),word(-2,_,3)", "word", List.of("-2", "_", "3"), str("f1_f2_f3__f5"), "str:f1_f2_f3"),
                c("str(f1_f2_f3__f5),word(-3,_,0)", "word", List.of("-3", "_", "0"), str("f1_f2_f3__f5"), "str:f1_f2"),
                c("str(/f1/f2/f3/f4),word(1,/)", "word", List.of("1", "/"), str("/f1/f2/f3/f4"), "str:f1"),
                c("str(/f1/f2/f3/f4/),word(-1,/)", "word", List.of("-1", "/"), str("/f1/f2/f3/f4/"), "str:f4"),
                c("str(/f1/f2/f3/f4/),word(2,/,0)", "word", List.of("2", "/", "0"), str("/f1/f2/f3/f4/"), "str:f2/f3/f4/"),
                c("str(/f1/f2/f3/f4/),word(-2,/,0)", "word", List.of("-2", "/", "0"), str("/f1/f2/f3/f4/"), "str:/f1/f2/f3"),
                c("str(/f1/f2/f3/f4/),word(5,/)", "word", List.of("5", "/"), str("/f1/f2/f3/f4/"), "str:"),
                c("str(/f1/f2/f3/f4/),word(-5,/)", "word", List.of("-5", "/"), str("/f1/f2/f3/f4/"), "str:"),
                c("str(//),word(1,/)", "word", List.of("1", "/"), str("//"), "str:"),
                c("str(),word(1,/)", "word", List.of("1", "/"), str(""), "str:"),
                c("str(a/b),word(2,/,5)", "word", List.of("2", "/", "5"), str("a/b"), "str:b"),
                c("str(a/b/c),word(-2,/,5)", "word", List.of("-2", "/", "5"), str("a/b/c"), "str:a/b"),
                c("str(a//b//c),word(2,/,-1)", "word", List.of("2", "/", "-1"), str("a//b//c"), "str:b//c"),
                c("str(a),word(1,/)", "word", List.of("1", "/"), str("a"), "str:a"),
                c("str(a),word(-1,/)", "word", List.of("-1", "/"), str("a"), "str:a"),
                c("str(a.b-c),word(-2,-.)", "word", List.of("-2", "-."), str("a.b-c"), "str:b"),
                c("str(/////a///b/c/xzxyz/),regsub(/+,/,g)", "regsub", List.of("/+", "/", "g"), str("/////a///b/c/xzxyz/"), "str:/a/b/c/xzxyz/"),
                c("str(/////a///b/c/xzxyz/),regsub(/+,/)", "regsub", List.of("/+", "/"), str("/////a///b/c/xzxyz/"), "str:/a///b/c/xzxyz/"),
                c("str(aBcAbC),regsub(b,X,i)", "regsub", List.of("b", "X", "i"), str("aBcAbC"), "str:aXcAbC"),
                c("str(aBcAbC),regsub(b,X,ig)", "regsub", List.of("b", "X", "ig"), str("aBcAbC"), "str:aXcAXC"),
                c("str(aBcAbC),regsub(b,X,gi)", "regsub", List.of("b", "X", "gi"), str("aBcAbC"), "str:aXcAXC"),
                c("str(aBcAbC),regsub(b,X)", "regsub", List.of("b", "X"), str("aBcAbC"), "str:aBcAXC"),
                c("str(foo123bar),regsub(\"(foo|bar)([0-9]+)?\",\"\\2\\1\",g)", "regsub", List.of("(foo|bar)([0-9]+)?", "\\2\\1", "g"), str("foo123bar"), "str:123foobar"),
                c("str(foo123bar),regsub(\"(foo|bar)([0-9]+)?\",\"<\\0>\",g)", "regsub", List.of("(foo|bar)([0-9]+)?", "<\\0>", "g"), str("foo123bar"), "str:<foo123><bar>"),
                c("str(foo123bar),regsub(\"(foo|bar)([0-9]+)?\",\"\\2\\1\")", "regsub", List.of("(foo|bar)([0-9]+)?", "\\2\\1"), str("foo123bar"), "str:123foobar"),
                c("str(abc),regsub(x*,-,g)", "regsub", List.of("x*", "-", "g"), str("abc"), "str:-a-b-c-"),
                c("str(abc),regsub(x*,-)", "regsub", List.of("x*", "-"), str("abc"), "str:-abc"),
                c("str(ab),regsub(b*,-,g)", "regsub", List.of("b*", "-", "g"), str("ab"), "str:-a--"),
                c("str(xab),regsub(x*,-,g)", "regsub", List.of("x*", "-", "g"), str("xab"), "str:--a-b-"),
                c("str(abc),regsub(\"(?=c)\",-,g)", "regsub", List.of("(?=c)", "-", "g"), str("abc"), "str:ab--c"),
                c("str(abc),regsub(^.,X,g)", "regsub", List.of("^.", "X", "g"), str("abc"), "str:Xbc"),
                c("str(aaa),regsub(^a,X,g)", "regsub", List.of("^a", "X", "g"), str("aaa"), "str:Xaa"),
                c("str(abc),regsub(c$,X,g)", "regsub", List.of("c$", "X", "g"), str("abc"), "str:abX"),
                c("str(),regsub(x*,-,g)", "regsub", List.of("x*", "-", "g"), str(""), "str:-"),
                c("str(),regsub(a,-,g)", "regsub", List.of("a", "-", "g"), str(""), "str:"),
                c("str(hello),regsub(l,\"\\\\x41\",g)", "regsub", List.of("l", "\\x41", "g"), str("hello"), "str:heAAo"),
                c("str(hello),regsub(l,\"\\\\q\",g)", "regsub", List.of("l", "\\q", "g"), str("hello"), "str:heqqo"),
                c("str(hello),regsub(\"(l)\",\"[\\1\\5]\",g)", "regsub", List.of("(l)", "[\\1\\5]", "g"), str("hello"), "str:he[l][l]o"),
                c("str(hello),regsub(xyz,Q,g)", "regsub", List.of("xyz", "Q", "g"), str("hello"), "str:hello"),
                c("str(abcabc),regsub(b,,g)", "regsub", List.of("b", "", "g"), str("abcabc"), "str:acac"),
                c("str(a.b.c),regsub(\"\\.\",\"-\",g)", "regsub", List.of("\\.", "-", "g"), str("a.b.c"), "str:a-b-c"),
                c("str(a%0Ab),url_dec,regsub(\"a.b\",X)", "regsub", List.of("a.b", "X"), str("a\nb"), "str:a\nb"),
                c("str(a%0Db),url_dec,regsub(\"a.b\",X)", "regsub", List.of("a.b", "X"), str("a\rb"), "str:X"),
                c("str(a%0Ab),url_dec,regsub(\"a$\",X)", "regsub", List.of("a$", "X"), str("a\nb"), "str:a\nb"),
                c("str(aaa),regsub(\"(a)(b)?\",\"[\\2]\",g)", "regsub", List.of("(a)(b)?", "[\\2]", "g"), str("aaa"), "str:[][][]"),
                c("str(%C3%A9t%C3%A9),url_dec,regsub(\".\",x,g)", "regsub", List.of(".", "x", "g"), str("\u00C3\u00A9t\u00C3\u00A9"), "str:xxxxx"),
                c("str(AbC),regsub(\"[a-z]\",_,gi)", "regsub", List.of("[a-z]", "_", "gi"), str("AbC"), "str:___"),
                c("str(),base64", "base64", List.of(), str(""), "str:"),
                c("str(a),base64", "base64", List.of(), str("a"), "str:YQ=="),
                c("str(ab),base64", "base64", List.of(), str("ab"), "str:YWI="),
                c("str(abc),base64", "base64", List.of(), str("abc"), "str:YWJj"),
                c("str(abcd),base64", "base64", List.of(), str("abcd"), "str:YWJjZA=="),
                c("bin(fbff),base64", "base64", List.of(), bin("fbff"), "str:+/8="),
                c("int(1),base64", "base64", List.of(), sint(1L), "str:AAAAAAAAAAE="),
                c("bin(00),base64", "base64", List.of(), bin("00"), "str:AA=="),
                c("str(a),ub64enc", "ub64enc", List.of(), str("a"), "str:YQ"),
                c("str(ab),ub64enc", "ub64enc", List.of(), str("ab"), "str:YWI"),
                c("str(abc),ub64enc", "ub64enc", List.of(), str("abc"), "str:YWJj"),
                c("bin(fbff),ub64enc", "ub64enc", List.of(), bin("fbff"), "str:-_8"),
                c("bin(fbffbf),ub64enc", "ub64enc", List.of(), bin("fbffbf"), "str:-_-_"),
                c("str(),ub64enc", "ub64enc", List.of(), str(""), "str:"),
                c("str(YWJj),b64dec", "b64dec", List.of(), str("YWJj"), "bin:616263"),
                c("str(YQ==),b64dec", "b64dec", List.of(), str("YQ=="), "bin:61"),
                c("str(YWI=),b64dec", "b64dec", List.of(), str("YWI="), "bin:6162"),
                c("str(YQ),b64dec", "b64dec", List.of(), str("YQ"), "FAIL"),
                c("str(YQ=),b64dec", "b64dec", List.of(), str("YQ="), "FAIL"),
                c("str(),b64dec", "b64dec", List.of(), str(""), "bin:"),
                c("str(Y===),b64dec", "b64dec", List.of(), str("Y==="), "bin:"),
                c("str(====),b64dec", "b64dec", List.of(), str("===="), "FAIL"),
                c("str(YQ==YWJj),b64dec", "b64dec", List.of(), str("YQ==YWJj"), "bin:61616263"),
                c("str(Y===YWJj),b64dec", "b64dec", List.of(), str("Y===YWJj"), "bin:616263"),
                c("str(YR==),b64dec", "b64dec", List.of(), str("YR=="), "bin:61"),
                c("str(Y*==),b64dec", "b64dec", List.of(), str("Y*=="), "FAIL"),
                c("str(YQ=a),b64dec", "b64dec", List.of(), str("YQ=a"), "FAIL"),
                c("str(-_8=),b64dec", "b64dec", List.of(), str("-_8="), "FAIL"),
                c("str(+/8=),b64dec", "b64dec", List.of(), str("+/8="), "bin:FBFF"),
                c("str(AA==),b64dec", "b64dec", List.of(), str("AA=="), "bin:00"),
                c("str(YWJj),ub64dec", "ub64dec", List.of(), str("YWJj"), "bin:616263"),
                c("str(YQ),ub64dec", "ub64dec", List.of(), str("YQ"), "bin:61"),
                c("str(YWI),ub64dec", "ub64dec", List.of(), str("YWI"), "bin:6162"),
                c("str(Y),ub64dec", "ub64dec", List.of(), str("Y"), "FAIL"),
                c("str(QQ==),ub64dec", "ub64dec", List.of(), str("QQ=="), "bin:410FFF"),
                c("str(-_-_),ub64dec", "ub64dec", List.of(), str("-_-_"), "bin:FBFFBF"),
                c("str(+/+/),ub64dec", "ub64dec", List.of(), str("+/+/"), "FAIL"),
                c("str(),ub64dec", "ub64dec", List.of(), str(""), "bin:"),
                c("str(YQ=),ub64dec", "ub64dec", List.of(), str("YQ="), "bin:610F"),
                c("str(abc),hex", "hex", List.of(), str("abc"), "str:616263"),
                c("bin(00ff10),hex", "hex", List.of(), bin("00ff10"), "str:00FF10"),
                c("str(),hex", "hex", List.of(), str(""), "str:"),
                c("int(255),hex", "hex", List.of(), sint(255L), "str:00000000000000FF"),
                c("ipv4(1.2.3.4),hex", "hex", List.of(), ipv4("1.2.3.4"), "str:01020304"),
                c("bool(1),hex", "hex", List.of(), bool(true), "str:0000000000000001"),
                c("str(ff),hex2i", "hex2i", List.of(), str("ff"), "int:255"),
                c("str(FF),hex2i", "hex2i", List.of(), str("FF"), "int:255"),
                c("str(7fffffffffffffff),hex2i", "hex2i", List.of(), str("7fffffffffffffff"), "int:9223372036854775807"),
                c("str(ffffffffffffffff),hex2i", "hex2i", List.of(), str("ffffffffffffffff"), "int:-1"),
                c("str(1ffffffffffffffff),hex2i", "hex2i", List.of(), str("1ffffffffffffffff"), "int:-1"),
                c("str(),hex2i", "hex2i", List.of(), str(""), "int:0"),
                c("str(1g),hex2i", "hex2i", List.of(), str("1g"), "FAIL"),
                c("str(0x1),hex2i", "hex2i", List.of(), str("0x1"), "FAIL"),
                c("bin(4142),hex2i", "hex2i", List.of(), bin("4142"), "int:171"),
                c("int(10),hex2i", "hex2i", List.of(), sint(10L), "int:16"),
                c("str(a_b-c.d~e),url_enc", "url_enc", List.of(), str("a_b-c.d~e"), "str:a_b-c.d~e"),
                c("str(a),url_enc(query)", "url_enc", List.of("query"), str("a"), "str:a"),
                c("bin(ff80e90a0d),url_enc", "url_enc", List.of(), bin("ff80e90a0d"), "str:%FF%80%E9%0A%0D"),
                c("str(a%20b%26c%3Dd%2Fe%3Ff%25g%2Bh%3Ai%40j%7E%21%2A%27%28%29%5B%5D%23%24),url_dec,url_enc", "url_enc", List.of(), str("a b&c=d/e?f%g+h:i@j~!*'()[]#$"), "str:a%20b%26c%3Dd%2Fe%3Ff%25g%2Bh%3Ai%40j~%21%2A%27%28%29%5B%5D%23%24"),
                c("bin(610062),url_enc", "url_enc", List.of(), bin("610062"), "str:a"),
                c("str(a%20b+c),url_dec", "url_dec", List.of(), str("a%20b+c"), "str:a b+c"),
                c("str(a%20b+c),url_dec(1)", "url_dec", List.of("1"), str("a%20b+c"), "str:a b c"),
                c("str(a%20b+c),url_dec(0)", "url_dec", List.of("0"), str("a%20b+c"), "str:a b+c"),
                c("str(a+b?c+d),url_dec", "url_dec", List.of(), str("a+b?c+d"), "str:a+b?c d"),
                c("str(a%2),url_dec", "url_dec", List.of(), str("a%2"), "FAIL"),
                c("str(a%zz),url_dec", "url_dec", List.of(), str("a%zz"), "FAIL"),
                c("str(a%41%62),url_dec", "url_dec", List.of(), str("a%41%62"), "str:aAb"),
                c("str(a%00b),url_dec", "url_dec", List.of(), str("a%00b"), "str:a\u0000b"),
                c("str(%e9),url_dec", "url_dec", List.of(), str("%e9"), "str:\u00E9"),
                c("str(),url_dec", "url_dec", List.of(), str(""), "str:"),
                c("str(a+b),url_dec(2)", "url_dec", List.of("2"), str("a+b"), "str:a b"),
                c("str(a+b),url_dec(-1)", "url_dec", List.of("-1"), str("a+b"), "str:a b"),
                c("str(%25%32%30),url_dec", "url_dec", List.of(), str("%25%32%30"), "str:%20"),
                c("str(Very%20%22Ugly%22%20UA%201%2F2),url_dec,json", "json", List.of(), str("Very \"Ugly\" UA 1/2"), "str:Very \\\"Ugly\\\" UA 1\\/2"),
                c("str(a%5Cb%08c%0Cd%0Ae%0Df%09g%01h%1Fi%7Fj),url_dec,json", "json", List.of(), str("a\\b\bc\fd\ne\rf\tg\u0001h\u001Fi\u007Fj"), "str:a\\\\b\\bc\\fd\\ne\\rf\\tg\\u0001h\\u001fi\\u007fj"),
                c("str(%C3%A9%E2%82%AC),url_dec,json", "json", List.of(), str("\u00C3\u00A9\u00E2\u0082\u00AC"), "str:\\u00c3\\u00a9\\u00e2\\u0082\\u00ac"),
                c("str(%C3%A9%E2%82%AC),url_dec,json(ascii)", "json", List.of("ascii"), str("\u00C3\u00A9\u00E2\u0082\u00AC"), "str:\\u00c3\\u00a9\\u00e2\\u0082\\u00ac"),
                c("str(%C3%A9%E2%82%AC),url_dec,json(utf8)", "json", List.of("utf8"), str("\u00C3\u00A9\u00E2\u0082\u00AC"), "str:\\u00e9\\u20ac"),
                c("str(%C3%A9%E2%82%AC),url_dec,json(utf8s)", "json", List.of("utf8s"), str("\u00C3\u00A9\u00E2\u0082\u00AC"), "str:\\u00e9\\u20ac"),
                c("str(%C3%A9%E2%82%AC),url_dec,json(utf8p)", "json", List.of("utf8p"), str("\u00C3\u00A9\u00E2\u0082\u00AC"), "str:\\u00e9\\u20ac"),
                c("str(%C3%A9%E2%82%AC),url_dec,json(utf8ps)", "json", List.of("utf8ps"), str("\u00C3\u00A9\u00E2\u0082\u00AC"), "str:\\u00e9\\u20ac"),
                c("str(a%F0%9F%98%80b),url_dec,json(utf8)", "json", List.of("utf8"), str("a\u00F0\u009F\u0098\u0080b"), "FAIL"),
                c("str(a%F0%9F%98%80b),url_dec,json(utf8s)", "json", List.of("utf8s"), str("a\u00F0\u009F\u0098\u0080b"), "str:ab"),
                c("str(a%F0%9F%98%80b),url_dec,json(utf8p)", "json", List.of("utf8p"), str("a\u00F0\u009F\u0098\u0080b"), "FAIL"),
                c("str(a%F0%9F%98%80b),url_dec,json(utf8ps)", "json", List.of("utf8ps"), str("a\u00F0\u009F\u0098\u0080b"), "str:ab"),
                c("str(a%C1%81b),url_dec,json(utf8)", "json", List.of("utf8"), str("a\u00C1\u0081b"), "FAIL"),
                c("str(a%C1%81b),url_dec,json(utf8s)", "json", List.of("utf8s"), str("a\u00C1\u0081b"), "str:ab"),
                c("str(a%C1%81b),url_dec,json(utf8p)", "json", List.of("utf8p"), str("a\u00C1\u0081b"), "str:aAb"),
                c("str(a%C1%81b),url_dec,json(utf8ps)", "json", List.of("utf8ps"), str("a\u00C1\u0081b"), "str:aAb"),
                c("str(a%80b),url_dec,json(utf8)", "json", List.of("utf8"), str("a\u0080b"), "FAIL"),
                c("str(a%80b),url_dec,json(utf8s)", "json", List.of("utf8s"), str("a\u0080b"), "str:ab"),
                c("str(a%80b),url_dec,json(utf8p)", "json", List.of("utf8p"), str("a\u0080b"), "FAIL"),
                c("str(a%80b),url_dec,json(utf8ps)", "json", List.of("utf8ps"), str("a\u0080b"), "str:ab"),
                c("str(a%80b),url_dec,json(ascii)", "json", List.of("ascii"), str("a\u0080b"), "str:a\\u0080b"),
                c("str(a%ED%A0%80b),url_dec,json(utf8)", "json", List.of("utf8"), str("a\u00ED\u00A0\u0080b"), "FAIL"),
                c("str(a%ED%A0%80b),url_dec,json(utf8s)", "json", List.of("utf8s"), str("a\u00ED\u00A0\u0080b"), "str:ab"),
                c("str(a%ED%A0%80b),url_dec,json(utf8p)", "json", List.of("utf8p"), str("a\u00ED\u00A0\u0080b"), "FAIL"),
                c("str(a%ED%A0%80b),url_dec,json(utf8ps)", "json", List.of("utf8ps"), str("a\u00ED\u00A0\u0080b"), "str:ab"),
                c("str(a%C3),url_dec,json(utf8s)", "json", List.of("utf8s"), str("a\u00C3"), "str:a"),
                c("str(a%C3),url_dec,json(utf8)", "json", List.of("utf8"), str("a\u00C3"), "FAIL"),
                c("str(a%E2%82),url_dec,json(utf8s)", "json", List.of("utf8s"), str("a\u00E2\u0082"), "str:a"),
                c("str(a%E2%82b),url_dec,json(utf8s)", "json", List.of("utf8s"), str("a\u00E2\u0082b"), "str:ab"),
                c("str(a%E2%82b),url_dec,json(utf8ps)", "json", List.of("utf8ps"), str("a\u00E2\u0082b"), "str:ab"),
                c("str(a%E2%82b),url_dec,json(ascii)", "json", List.of("ascii"), str("a\u00E2\u0082b"), "str:a\\u00e2\\u0082b"),
                c("str(a%EF%BF%BFb),url_dec,json(utf8s)", "json", List.of("utf8s"), str("a\u00EF\u00BF\u00BFb"), "str:ab"),
                c("str(a%EF%BF%BDb),url_dec,json(utf8s)", "json", List.of("utf8s"), str("a\u00EF\u00BF\u00BDb"), "str:a\\ufffdb"),
                c("str(a%F8%88%80%80%80b),url_dec,json(utf8s)", "json", List.of("utf8s"), str("a\u00F8\u0088\u0080\u0080\u0080b"), "str:ab"),
                c("str(a%F8%88%80%80%80b),url_dec,json(utf8ps)", "json", List.of("utf8ps"), str("a\u00F8\u0088\u0080\u0080\u0080b"), "str:ab"),
                c("str(a%E0%80%80b),url_dec,json(utf8p)", "json", List.of("utf8p"), str("a\u00E0\u0080\u0080b"), "str:a\\u0000b"),
                c("str(a%E0%80%80b),url_dec,json(utf8s)", "json", List.of("utf8s"), str("a\u00E0\u0080\u0080b"), "str:ab"),
                c("str(a%FEb),url_dec,json(utf8s)", "json", List.of("utf8s"), str("a\u00FEb"), "str:ab"),
                c("str(a%00b),url_dec,json", "json", List.of(), str("a\u0000b"), "str:a\\u0000b"),
                c("bin(61006200),json", "json", List.of(), bin("61006200"), "str:a"),
                c("str(),json", "json", List.of(), str(""), "str:"),
                c("int(-5),json", "json", List.of(), sint(-5L), "str:-5"),
                c("str(%3C%26%3E%27),url_dec,json", "json", List.of(), str("<&>'"), "str:<&>'"),
                c("str(%C3%A9),url_dec,json(utf8p)", "json", List.of("utf8p"), str("\u00C3\u00A9"), "str:\\u00e9"),
                c("str(),sdbm", "sdbm", List.of(), str(""), "int:0"),
                c("str(a),sdbm", "sdbm", List.of(), str("a"), "int:97"),
                c("str(abc),sdbm", "sdbm", List.of(), str("abc"), "int:807794786"),
                c("str(hello_world),sdbm", "sdbm", List.of(), str("hello_world"), "int:2392486725"),
                c("str(abc),sdbm(1)", "sdbm", List.of("1"), str("abc"), "int:659243622"),
                c("str(abc),sdbm(2)", "sdbm", List.of("2"), str("abc"), "int:659243622"),
                c("str(abc),sdbm(-1)", "sdbm", List.of("-1"), str("abc"), "int:659243622"),
                c("str(abc),sdbm(0)", "sdbm", List.of("0"), str("abc"), "int:807794786"),
                c("str(),djb2", "djb2", List.of(), str(""), "int:5381"),
                c("str(abc),djb2", "djb2", List.of(), str("abc"), "int:193485963"),
                c("str(The_quick_brown_fox),djb2", "djb2", List.of(), str("The_quick_brown_fox"), "int:2543096405"),
                c("str(abc),djb2(1)", "djb2", List.of("1"), str("abc"), "int:2235766107"),
                c("str(),wt6", "wt6", List.of(), str(""), "int:4187620192"),
                c("str(abc),wt6", "wt6", List.of(), str("abc"), "int:2483038440"),
                c("str(The_quick_brown_fox),wt6", "wt6", List.of(), str("The_quick_brown_fox"), "int:2636478961"),
                c("str(abc),wt6(1)", "wt6", List.of("1"), str("abc"), "int:266135527"),
                c("str(),crc32", "crc32", List.of(), str(""), "int:0"),
                c("str(abc),crc32", "crc32", List.of(), str("abc"), "int:891568578"),
                c("str(123456789),crc32", "crc32", List.of(), str("123456789"), "int:3421780262"),
                c("str(abc),crc32(1)", "crc32", List.of("1"), str("abc"), "int:930845320"),
                c("str(),crc32c", "crc32c", List.of(), str(""), "int:0"),
                c("str(abc),crc32c", "crc32c", List.of(), str("abc"), "int:910901175"),
                c("str(123456789),crc32c", "crc32c", List.of(), str("123456789"), "int:3808858755"),
                c("str(abc),crc32c(1)", "crc32c", List.of("1"), str("abc"), "int:1285784220"),
                c("str(),xxh32", "xxh32", List.of(), str(""), "int:46947589"),
                c("str(abc),xxh32", "xxh32", List.of(), str("abc"), "int:852579327"),
                c("str(abc),xxh32(1)", "xxh32", List.of("1"), str("abc"), "int:2856167679"),
                c("str(abc),xxh32(-1)", "xxh32", List.of("-1"), str("abc"), "int:2989167648"),
                c("str(abc),xxh32(4294967297)", "xxh32", List.of("4294967297"), str("abc"), "int:2856167679"),
                c("str(0123456789abcdef0123456789),xxh32", "xxh32", List.of(), str("0123456789abcdef0123456789"), "int:4074509212"),
                c("str(0123456789abcdef0123456789),xxh32(12345)", "xxh32", List.of("12345"), str("0123456789abcdef0123456789"), "int:3883027980"),
                c("str(),xxh64", "xxh64", List.of(), str(""), "int:-1205034819632174695"),
                c("str(abc),xxh64", "xxh64", List.of(), str("abc"), "int:4952883123889572249"),
                c("str(abc),xxh64(1)", "xxh64", List.of("1"), str("abc"), "int:-4708009277469325048"),
                c("str(abc),xxh64(-1)", "xxh64", List.of("-1"), str("abc"), "int:2895935887265243510"),
                c("str(0123456789abcdef0123456789abcdef0123456789),xxh64", "xxh64", List.of(), str("0123456789abcdef0123456789abcdef0123456789"), "int:-6385663626540185060"),
                c("str(0123456789abcdef0123456789abcdef0123456789),xxh64(12345)", "xxh64", List.of("12345"), str("0123456789abcdef0123456789abcdef0123456789"), "int:-8296920906120541491"),
                c("str(abcd),xxh64", "xxh64", List.of(), str("abcd"), "int:-2449070131962342708"),
                c("str(abcdefghijkl),xxh64", "xxh64", List.of(), str("abcdefghijkl"), "int:5407054947222279347"),
                c("bin(00ff80c3e9),sdbm", "sdbm", List.of(), bin("00ff80c3e9"), "int:2551504807"),
                c("bin(00ff80c3e9),djb2", "djb2", List.of(), bin("00ff80c3e9"), "int:143462224"),
                c("bin(00ff80c3e9),wt6", "wt6", List.of(), bin("00ff80c3e9"), "int:2629637005"),
                c("bin(00ff80c3e9),crc32", "crc32", List.of(), bin("00ff80c3e9"), "int:3222484029"),
                c("bin(00ff80c3e9),crc32c", "crc32c", List.of(), bin("00ff80c3e9"), "int:1306988166"),
                c("bin(00ff80c3e9),xxh32", "xxh32", List.of(), bin("00ff80c3e9"), "int:1326256024"),
                c("bin(00ff80c3e9),xxh64", "xxh64", List.of(), bin("00ff80c3e9"), "int:7820464786903631278"),
                c("int(1),sdbm", "sdbm", List.of(), sint(1L), "int:1"),
                c("int(-1),crc32", "crc32", List.of(), sint(-1L), "int:558161692"),
                c("bool(1),crc32", "crc32", List.of(), bool(true), "int:304476159"),
                c("ipv4(1.2.3.4),crc32", "crc32", List.of(), ipv4("1.2.3.4"), "int:3057449933"),
                c("ipv6(::1),crc32", "crc32", List.of(), ipv6("::1"), "int:2612820931"),
                c("str(www.example.com/some/long/path?with=query&and=more),wt6", "wt6", List.of(), str("www.example.com/some/long/path?with=query&and=more"), "int:54269959"),
                c("str(www.example.com/some/long/path?with=query&and=more),djb2(1)", "djb2", List.of("1"), str("www.example.com/some/long/path?with=query&and=more"), "int:3651479610"),
                c("str(www.example.com/some/long/path?with=query&and=more),sdbm", "sdbm", List.of(), str("www.example.com/some/long/path?with=query&and=more"), "int:2448725687"),
                c("str(www.example.com/some/long/path?with=query&and=more),crc32c(1)", "crc32c", List.of("1"), str("www.example.com/some/long/path?with=query&and=more"), "int:2998195149"),
                c("str(abc),sha1", "sha1", List.of(), str("abc"), "bin:A9993E364706816ABA3E25717850C26C9CD0D89D"),
                c("str(),sha1", "sha1", List.of(), str(""), "bin:DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"),
                c("int(1),sha1", "sha1", List.of(), sint(1L), "bin:CB473678976F425D6EC1339838F11011007AD27D"),
                c("str(abc),sha2", "sha2", List.of(), str("abc"), "bin:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
                c("str(abc),sha2(224)", "sha2", List.of("224"), str("abc"), "bin:23097D223405D8228642A477BDA255B32AADBCE4BDA0B3F7E36C9DA7"),
                c("str(abc),sha2(256)", "sha2", List.of("256"), str("abc"), "bin:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
                c("str(abc),sha2(384)", "sha2", List.of("384"), str("abc"), "bin:CB00753F45A35E8BB5A03D699AC65007272C32AB0EDED1631A8B605A43FF5BED8086072BA1E7CC2358BAECA134C825A7"),
                c("str(abc),sha2(512)", "sha2", List.of("512"), str("abc"), "bin:DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A2192992A274FC1A836BA3C23A3FEEBBD454D4423643CE80E2A9AC94FA54CA49F"),
                c("str(abc),digest(md5)", "digest", List.of("md5"), str("abc"), "bin:900150983CD24FB0D6963F7D28E17F72"),
                c("str(abc),digest(sha256)", "digest", List.of("sha256"), str("abc"), "bin:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
                c("str(abc),digest(SHA256)", "digest", List.of("SHA256"), str("abc"), "bin:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
                c("str(abc),digest(sha512-256)", "digest", List.of("sha512-256"), str("abc"), "bin:53048E2681941EF99B2E29B76B4C7DABE4C2D0C634FC6D46E0E2F13107E7AF23"),
                c("str(abc),digest(sha3-256)", "digest", List.of("sha3-256"), str("abc"), "bin:3A985DA74FE225B2045C172D6BD390BD855F086E3E9D525B46BFE24511431532"),
                c("str(abc),digest(SHA3-512)", "digest", List.of("SHA3-512"), str("abc"), "bin:B751850B1A57168A5693CD924B6B096E08F621827444F70D884F5D0240D2712E10E116E9192AF3C91A7EC57647E3934057340B4CF408D5A56592F8274EEC53F0"),
                c("str(abc),digest(sha2-256)", "digest", List.of("sha2-256"), str("abc"), "bin:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
                c("str(abc),digest(sha512-224)", "digest", List.of("sha512-224"), str("abc"), "bin:4634270F707B6A54DAAE7530460842E20E37ED265CEEE9A43E8924AA"),
                c("str(abc),digest(SHA1)", "digest", List.of("SHA1"), str("abc"), "bin:A9993E364706816ABA3E25717850C26C9CD0D89D"),
                c("str(abc),digest(ssl3-sha1)", "digest", List.of("ssl3-sha1"), str("abc"), "bin:A9993E364706816ABA3E25717850C26C9CD0D89D"),
                c("str(abc),digest(RSA-SHA256)", "digest", List.of("RSA-SHA256"), str("abc"), "bin:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
                c("str(abc),digest(sha3-224)", "digest", List.of("sha3-224"), str("abc"), "bin:E642824C3F8CF24AD09234EE7D3C766FC9A3A5168D0C94AD73B46FDF"),
                c("str(abc),digest(sha3-384)", "digest", List.of("sha3-384"), str("abc"), "bin:EC01498288516FC926459F58E2C6AD8DF9B473CB0FC08C2596DA7CF0E49BE4B298D88CEA927AC7F539F1EDF228376D25"),
                c("str(abc),digest(md5-sha1)", "digest", List.of("md5-sha1"), str("abc"), "bin:900150983CD24FB0D6963F7D28E17F72A9993E364706816ABA3E25717850C26C9CD0D89D"),
                c("str(abc),digest(sha-512/256)", "digest", List.of("sha-512/256"), str("abc"), "bin:53048E2681941EF99B2E29B76B4C7DABE4C2D0C634FC6D46E0E2F13107E7AF23"),
                c("str(abc),digest(2.16.840.1.101.3.4.2.1)", "digest", List.of("2.16.840.1.101.3.4.2.1"), str("abc"), "bin:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
                c("str(abc),digest(sha384WithRSAEncryption)", "digest", List.of("sha384WithRSAEncryption"), str("abc"), "bin:CB00753F45A35E8BB5A03D699AC65007272C32AB0EDED1631A8B605A43FF5BED8086072BA1E7CC2358BAECA134C825A7"),
                c("str(abc),hmac(sha256,c2VjcmV0)", "hmac", List.of("sha256", "c2VjcmV0"), str("abc"), "bin:9946DAD4E00E913FC8BE8E5D3F7E110A4A9E832F83FB09C345285D78638D8A0E"),
                c("str(abc),hmac(sha1,c2VjcmV0)", "hmac", List.of("sha1", "c2VjcmV0"), str("abc"), "bin:694ABD10842D161DDBC54DF8A0D57CF64D0DBCC9"),
                c("str(abc),hmac(md5,c2VjcmV0)", "hmac", List.of("md5", "c2VjcmV0"), str("abc"), "bin:D9BF7C3A63EAE7031C4E6D7C9B78BA93"),
                c("str(abc),hmac(sha512,c2VjcmV0)", "hmac", List.of("sha512", "c2VjcmV0"), str("abc"), "bin:18C4D2EDB7DC012D4ADE387E587AB7C52F50A384529F3E368392A1B0B16183F40A62FE814CBA2A049D9B0E72B7AAC932006A2F6D77FA7B76AEDE1BD63D888241"),
                c("str(abc),hmac(sha384,c2VjcmV0)", "hmac", List.of("sha384", "c2VjcmV0"), str("abc"), "bin:6990E733FC90A053499F07EAAC2D082B9218862226D3FF8F1A72DF2B9E5ABDDAAD80C4A2FE2AD5B3E56CAB3C5D7ADEC1"),
                c("str(abc),hmac(sha3-256,c2VjcmV0)", "hmac", List.of("sha3-256", "c2VjcmV0"), str("abc"), "bin:7D3E435793EC9A27591D8F71CD29FAE97161BEBFCCB46B83153A953CC406E5EE"),
                c("str(abc),hmac(sha224,c2VjcmV0)", "hmac", List.of("sha224", "c2VjcmV0"), str("abc"), "bin:D7990086331DB8BECDE4FD978847367EEB0B967B3685C8829E4A021D"),
                c("str(abc),hmac(md5-sha1,c2VjcmV0)", "hmac", List.of("md5-sha1", "c2VjcmV0"), str("abc"), "bin:05CDC05E197A8DD43C4FA197459456645BCD9E5F2736D8EFD063FC5A62BE937198EA1A1A"),
                c("str(abc),hmac(sha3-512,c2VjcmV0)", "hmac", List.of("sha3-512", "c2VjcmV0"), str("abc"), "bin:B0EFB076F810AE5ED92FACF5384DDA54EE578F51E6ED73C69499C54578A89E7EBABC776F10B0A8EABF7EB0507A84B68AD89D65C742FDFCF4E75E953F6A018F1B"),
                c("str(abc),hmac(sha256,txn.k)", "hmac", List.of("sha256", "txn.k"), str("abc"), "bin:9946DAD4E00E913FC8BE8E5D3F7E110A4A9E832F83FB09C345285D78638D8A0E"),
                c("str(abc),hmac(sha256,txn.kbad)", "hmac", List.of("sha256", "txn.kbad"), str("abc"), "FAIL"),
                c("str(abc),hmac(sha256,txn.kempty)", "hmac", List.of("sha256", "txn.kempty"), str("abc"), "bin:FD7ADB152C05EF80DCCF50A1FA4C05D5A3EC6DA95575FC312AE7C5D091836351"),
                c("str(abc),hmac(sha256,txn.nokey)", "hmac", List.of("sha256", "txn.nokey"), str("abc"), "FAIL"),
                c("str(abc),hmac(sha256,\"\")", "hmac", List.of("sha256", ""), str("abc"), "bin:FD7ADB152C05EF80DCCF50A1FA4C05D5A3EC6DA95575FC312AE7C5D091836351"),
                c("str(abc),hmac(sha256,QUJD)", "hmac", List.of("sha256", "QUJD"), str("abc"), "bin:959FFFDA1D466BD3C107806875B65F4BAC5EBEE8237430650E08777A6665D43E"),
                c("str(abc),hmac(sha256,QQ==)", "hmac", List.of("sha256", "QQ=="), str("abc"), "bin:0FF6ADE396A5B0BB47F63CB013343BEE5B593FE6BE5839C4772EEEC754C73093"),
                c("str(abc),hmac(sha256,YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh)", "hmac", List.of("sha256", "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh"), str("abc"), "bin:613C84D858A1CAF4BF61DB6F4758408E58CC756EF527D1DB551538134DA72624"),
                c("str(abc),hmac(sha512,YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh)", "hmac", List.of("sha512", "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh"), str("abc"), "bin:E6E34C83B07C40689619B78121FB6841374B0758719C0D4FC4A9EF29349826AF6EE4E2F41050F57283732149D09CBA5F67B55EAD406878ED60A8FA9FCAF2C608"),
                c("str(),hmac(sha256,c2VjcmV0)", "hmac", List.of("sha256", "c2VjcmV0"), str(""), "bin:F9E66E179B6747AE54108F82F8ADE8B3C25D76FD30AFDE6C395822C530196169"),
                c("str(abc),secure_memcmp(txn.s)", "secure_memcmp", List.of("txn.s"), str("abc"), "bool:true"),
                c("str(abc),secure_memcmp(txn.s2)", "secure_memcmp", List.of("txn.s2"), str("abc"), "bool:false"),
                c("str(abc),secure_memcmp(txn.sb)", "secure_memcmp", List.of("txn.sb"), str("abc"), "bool:false"),
                c("str(abc),secure_memcmp(txn.bb)", "secure_memcmp", List.of("txn.bb"), str("abc"), "bool:true"),
                c("str(abc),secure_memcmp(txn.none)", "secure_memcmp", List.of("txn.none"), str("abc"), "FAIL"),
                c("int(7),secure_memcmp(txn.n)", "secure_memcmp", List.of("txn.n"), sint(7L), "bool:true"),
                c("str(),secure_memcmp(txn.es)", "secure_memcmp", List.of("txn.es"), str(""), "bool:true"),
                c("int(5),add(3)", "add", List.of("3"), sint(5L), "int:8"),
                c("int(5),add(txn.n)", "add", List.of("txn.n"), sint(5L), "int:12"),
                c("int(5),add(txn.none)", "add", List.of("txn.none"), sint(5L), "FAIL"),
                c("int(5),add(txn.sn)", "add", List.of("txn.sn"), sint(5L), "int:17"),
                c("int(5),add(txn.es)", "add", List.of("txn.es"), sint(5L), "FAIL"),
                c("int(5),add(txn.ip)", "add", List.of("txn.ip"), sint(5L), "int:263"),
                c("int(5),add(txn.ip6)", "add", List.of("txn.ip6"), sint(5L), "FAIL"),
                c("int(5),add(txn.b12)", "add", List.of("txn.b12"), sint(5L), "FAIL"),
                c("int(5),add(txn.t)", "add", List.of("txn.t"), sint(5L), "int:6"),
                c("int(5),add()", "add", List.of(), sint(5L), "int:5"),
                c("int(5),add(+4)", "add", List.of("+4"), sint(5L), "int:9"),
                c("int(5),add(-4)", "add", List.of("-4"), sint(5L), "int:1"),
                c("int(5),add(99999999999999999999)", "add", List.of("99999999999999999999"), sint(5L), "int:9223372036854775807"),
                c("int(5),add(-99999999999999999999)", "add", List.of("-99999999999999999999"), sint(5L), "int:-9223372036854775803"),
                c("int(-1),add(-1)", "add", List.of("-1"), sint(-1L), "int:-2"), // HAProxy 2.6.12 gives 9223372036854775807 here: bug #2216, fixed upstream
                c("int(-5),add(-3)", "add", List.of("-3"), sint(-5L), "int:-8"), // HAProxy 2.6.12 gives 9223372036854775807 here: bug #2216, fixed upstream
                c("int(-9223372036854775807),add(-5)", "add", List.of("-5"), sint(-9223372036854775807L), "int:-9223372036854775808"),
                c("int(9223372036854775807),add(1)", "add", List.of("1"), sint(9223372036854775807L), "int:9223372036854775807"),
                c("int(-9223372036854775808),add(-1)", "add", List.of("-1"), sint(Long.MIN_VALUE), "int:-9223372036854775808"),
                c("int(1),add(-9223372036854775808)", "add", List.of("-9223372036854775808"), sint(1L), "int:-9223372036854775807"),
                c("int(0),add(-1)", "add", List.of("-1"), sint(0L), "int:-1"),
                c("int(-3),add(2)", "add", List.of("2"), sint(-3L), "int:-1"),
                c("int(3),add(-5)", "add", List.of("-5"), sint(3L), "int:-2"),
                c("int(5),sub(3)", "sub", List.of("3"), sint(5L), "int:2"),
                c("int(5),sub(-3)", "sub", List.of("-3"), sint(5L), "int:8"),
                c("int(-5),sub(3)", "sub", List.of("3"), sint(-5L), "int:-8"), // HAProxy 2.6.12 gives 9223372036854775807 here: bug #2216, fixed upstream
                c("int(5),sub(txn.min)", "sub", List.of("txn.min"), sint(5L), "int:9223372036854775807"),
                c("int(-5),sub(txn.min)", "sub", List.of("txn.min"), sint(-5L), "int:9223372036854775803"),
                c("int(0),sub(txn.min)", "sub", List.of("txn.min"), sint(0L), "int:9223372036854775807"),
                c("int(-1),sub(txn.min)", "sub", List.of("txn.min"), sint(-1L), "int:9223372036854775807"),
                c("int(-9223372036854775808),sub(1)", "sub", List.of("1"), sint(Long.MIN_VALUE), "int:-9223372036854775808"),
                c("int(9223372036854775807),sub(-1)", "sub", List.of("-1"), sint(9223372036854775807L), "int:9223372036854775807"),
                c("int(5),mul(3)", "mul", List.of("3"), sint(5L), "int:15"),
                c("int(5),mul(0)", "mul", List.of("0"), sint(5L), "int:0"),
                c("int(0),mul(txn.n)", "mul", List.of("txn.n"), sint(0L), "int:0"),
                c("int(-5),mul(3)", "mul", List.of("3"), sint(-5L), "int:-15"),
                c("int(4611686018427387904),mul(2)", "mul", List.of("2"), sint(4611686018427387904L), "int:9223372036854775807"),
                c("int(4611686018427387904),mul(-2)", "mul", List.of("-2"), sint(4611686018427387904L), "int:-9223372036854775808"),
                c("int(-4611686018427387904),mul(2)", "mul", List.of("2"), sint(-4611686018427387904L), "int:-9223372036854775808"),
                c("int(-4611686018427387905),mul(2)", "mul", List.of("2"), sint(-4611686018427387905L), "int:-9223372036854775808"),
                c("int(-9223372036854775808),mul(-1)", "mul", List.of("-1"), sint(Long.MIN_VALUE), "int:9223372036854775807"),
                c("int(-9223372036854775808),mul(1)", "mul", List.of("1"), sint(Long.MIN_VALUE), "int:-9223372036854775808"),
                c("int(3037000500),mul(3037000500)", "mul", List.of("3037000500"), sint(3037000500L), "int:9223372036854775807"),
                c("int(7),div(2)", "div", List.of("2"), sint(7L), "int:3"),
                c("int(-7),div(2)", "div", List.of("2"), sint(-7L), "int:-3"),
                c("int(7),div(0)", "div", List.of("0"), sint(7L), "int:9223372036854775807"),
                c("int(-7),div(0)", "div", List.of("0"), sint(-7L), "int:9223372036854775807"),
                c("int(7),div(txn.z)", "div", List.of("txn.z"), sint(7L), "int:9223372036854775807"),
                c("int(-9223372036854775808),div(-1)", "div", List.of("-1"), sint(Long.MIN_VALUE), "int:9223372036854775807"),
                c("int(7),div(txn.none)", "div", List.of("txn.none"), sint(7L), "FAIL"),
                c("int(7),mod(3)", "mod", List.of("3"), sint(7L), "int:1"),
                c("int(-7),mod(3)", "mod", List.of("3"), sint(-7L), "int:-1"),
                c("int(7),mod(-3)", "mod", List.of("-3"), sint(7L), "int:1"),
                c("int(7),mod(0)", "mod", List.of("0"), sint(7L), "int:0"),
                c("int(-9223372036854775808),mod(-1)", "mod", List.of("-1"), sint(Long.MIN_VALUE), "int:0"),
                c("int(5),neg", "neg", List.of(), sint(5L), "int:-5"),
                c("int(-5),neg", "neg", List.of(), sint(-5L), "int:5"),
                c("int(0),neg", "neg", List.of(), sint(0L), "int:0"),
                c("int(-9223372036854775808),neg", "neg", List.of(), sint(Long.MIN_VALUE), "int:9223372036854775807"),
                c("int(12),and(10)", "and", List.of("10"), sint(12L), "int:8"),
                c("int(12),or(10)", "or", List.of("10"), sint(12L), "int:14"),
                c("int(12),xor(10)", "xor", List.of("10"), sint(12L), "int:6"),
                c("int(12),and(txn.n)", "and", List.of("txn.n"), sint(12L), "int:4"),
                c("int(12),or(txn.none)", "or", List.of("txn.none"), sint(12L), "FAIL"),
                c("int(12),cpl", "cpl", List.of(), sint(12L), "int:-13"),
                c("int(0),cpl", "cpl", List.of(), sint(0L), "int:-1"),
                c("int(5),bool", "bool", List.of(), sint(5L), "bool:true"),
                c("int(0),bool", "bool", List.of(), sint(0L), "bool:false"),
                c("int(-2),bool", "bool", List.of(), sint(-2L), "bool:true"),
                c("int(5),not", "not", List.of(), sint(5L), "bool:false"),
                c("int(0),not", "not", List.of(), sint(0L), "bool:true"),
                c("int(5),odd", "odd", List.of(), sint(5L), "bool:true"),
                c("int(4),odd", "odd", List.of(), sint(4L), "bool:false"),
                c("int(-3),odd", "odd", List.of(), sint(-3L), "bool:true"),
                c("int(5),even", "even", List.of(), sint(5L), "bool:false"),
                c("int(4),even", "even", List.of(), sint(4L), "bool:true"),
                c("int(-4),even", "even", List.of(), sint(-4L), "bool:true"),
                c("str(42),add(1)", "add", List.of("1"), str("42"), "int:43"),
                c("str(42abc),add(1)", "add", List.of("1"), str("42abc"), "int:43"),
                c("str(abc),add(1)", "add", List.of("1"), str("abc"), "int:1"),
                c("str(),add(1)", "add", List.of("1"), str(""), "FAIL"),
                c("str(-),add(1)", "add", List.of("1"), str("-"), "int:1"),
                c("str(+5),add(1)", "add", List.of("1"), str("+5"), "int:6"),
                c("str(99999999999999999999),add(0)", "add", List.of("0"), str("99999999999999999999"), "int:9223372036854775807"),
                c("str(-99999999999999999999),add(0)", "add", List.of("0"), str("-99999999999999999999"), "int:-9223372036854775808"),
                c("str(%2012),url_dec,add(1)", "add", List.of("1"), str(" 12"), "int:1"),
                c("bool(1),add(1)", "add", List.of("1"), bool(true), "int:2"),
                c("ipv4(1.2.3.4),add(0)", "add", List.of("0"), ipv4("1.2.3.4"), "int:16909060"),
                c("str(7),odd", "odd", List.of(), str("7"), "bool:true"),
                c("str(),bool", "bool", List.of(), str(""), "FAIL"),
                c("str(0),not", "not", List.of(), str("0"), "bool:true"),
                c("ipv4(192.168.1.77),ipmask(24)", "ipmask", List.of("24"), ipv4("192.168.1.77"), "ipv4:192.168.1.0"),
                c("ipv4(192.168.1.77),ipmask(255.255.0.0)", "ipmask", List.of("255.255.0.0"), ipv4("192.168.1.77"), "ipv4:192.168.0.0"),
                c("ipv4(192.168.1.77),ipmask(255.0.255.0)", "ipmask", List.of("255.0.255.0"), ipv4("192.168.1.77"), "ipv4:192.0.1.0"),
                c("ipv4(192.168.1.77),ipmask(0)", "ipmask", List.of("0"), ipv4("192.168.1.77"), "ipv4:0.0.0.0"),
                c("ipv4(192.168.1.77),ipmask(32)", "ipmask", List.of("32"), ipv4("192.168.1.77"), "ipv4:192.168.1.77"),
                c("ipv4(192.168.1.77),ipmask(24,64)", "ipmask", List.of("24", "64"), ipv4("192.168.1.77"), "ipv4:192.168.1.0"),
                c("ipv6(2001:db8:1:2:3:4:5:6),ipmask(24)", "ipmask", List.of("24"), ipv6("2001:db8:1:2:3:4:5:6"), "FAIL"),
                c("ipv6(2001:db8:1:2:3:4:5:6),ipmask(24,64)", "ipmask", List.of("24", "64"), ipv6("2001:db8:1:2:3:4:5:6"), "ipv6:20010DB8000100020000000000000000"),
                c("ipv6(2001:db8:1:2:3:4:5:6),ipmask(24,ffff:ffff::)", "ipmask", List.of("24", "ffff:ffff::"), ipv6("2001:db8:1:2:3:4:5:6"), "ipv6:20010DB8000000000000000000000000"),
                c("ipv6(2001:db8:1:2:3:4:5:6),ipmask(24,0)", "ipmask", List.of("24", "0"), ipv6("2001:db8:1:2:3:4:5:6"), "ipv6:00000000000000000000000000000000"),
                c("ipv6(2001:db8:1:2:3:4:5:6),ipmask(24,128)", "ipmask", List.of("24", "128"), ipv6("2001:db8:1:2:3:4:5:6"), "ipv6:20010DB8000100020003000400050006"),
                c("ipv6(2001:db8:1:2:3:4:5:6),ipmask(24,127)", "ipmask", List.of("24", "127"), ipv6("2001:db8:1:2:3:4:5:6"), "ipv6:20010DB8000100020003000400050006"),
                c("ipv6(::ffff:192.168.1.77),ipmask(24)", "ipmask", List.of("24"), ipv6("::ffff:192.168.1.77"), "ipv4:192.168.1.0"),
                c("ipv6(::ffff:192.168.1.77),ipmask(24,64)", "ipmask", List.of("24", "64"), ipv6("::ffff:192.168.1.77"), "ipv4:192.168.1.0"),
                c("ipv6(::192.168.1.77),ipmask(24,96)", "ipmask", List.of("24", "96"), ipv6("::192.168.1.77"), "ipv6:00000000000000000000000000000000"),
                c("str(10.1.2.3),ipmask(8)", "ipmask", List.of("8"), str("10.1.2.3"), "ipv4:10.0.0.0"),
                c("str(10.1.2.3abc),ipmask(8)", "ipmask", List.of("8"), str("10.1.2.3abc"), "ipv4:10.0.0.0"),
                c("str(010.001.2.3),ipmask(32)", "ipmask", List.of("32"), str("010.001.2.3"), "ipv4:10.1.2.3"),
                c("str(10.1.2),ipmask(8)", "ipmask", List.of("8"), str("10.1.2"), "FAIL"),
                c("str(10.1.2.3.),ipmask(8)", "ipmask", List.of("8"), str("10.1.2.3."), "FAIL"),
                c("str(10.1.2.256),ipmask(8)", "ipmask", List.of("8"), str("10.1.2.256"), "FAIL"),
                c("str(2001:db8::1),ipmask(8,16)", "ipmask", List.of("8", "16"), str("2001:db8::1"), "ipv6:20010000000000000000000000000000"),
                c("str(2001:db8::1),ipmask(8)", "ipmask", List.of("8"), str("2001:db8::1"), "FAIL"),
                c("str(::ffff:1.2.3.4),ipmask(8,16)", "ipmask", List.of("8", "16"), str("::ffff:1.2.3.4"), "ipv4:1.0.0.0"),
                c("str(junk),ipmask(8)", "ipmask", List.of("8"), str("junk"), "FAIL"),
                c("str(),ipmask(8)", "ipmask", List.of("8"), str(""), "FAIL"),
                c("int(16909060),ipmask(16)", "ipmask", List.of("16"), sint(16909060L), "ipv4:1.2.0.0"),
                c("int(-1),ipmask(16)", "ipmask", List.of("16"), sint(-1L), "ipv4:255.255.0.0"),
                c("int(4294967297),ipmask(32)", "ipmask", List.of("32"), sint(4294967297L), "ipv4:0.0.0.1"),
                c("ipv4(1.2.3.4),ipmask(255.255.255.255)", "ipmask", List.of("255.255.255.255"), ipv4("1.2.3.4"), "ipv4:1.2.3.4"),
                c("ipv4(1.2.3.4),ipmask(8,::ffff)", "ipmask", List.of("8", "::ffff"), ipv4("1.2.3.4"), "ipv4:1.0.0.0"),
                c("ipv4(1.2.3.4),ipmask(+8)", "ipmask", List.of("+8"), ipv4("1.2.3.4"), "ipv4:1.0.0.0"),
                c("ipv4(1.2.3.4),ipmask(\" 8\")", "ipmask", List.of(" 8"), ipv4("1.2.3.4"), "ipv4:1.0.0.0"),
                c("str(1:2:3:4:5:6:7:8),ipmask(8,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00)", "ipmask", List.of("8", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00"), str("1:2:3:4:5:6:7:8"), "ipv6:00010002000300040005000600070000"),
                c("int(0),http_date", "http_date", List.of(), sint(0L), "str:Thu, 01 Jan 1970 00:00:00 GMT"),
                c("int(1700000000),http_date", "http_date", List.of(), sint(1700000000L), "str:Tue, 14 Nov 2023 22:13:20 GMT"),
                c("int(1700000000),http_date(3600)", "http_date", List.of("3600"), sint(1700000000L), "str:Tue, 14 Nov 2023 23:13:20 GMT"),
                c("int(1700000000),http_date(-86400)", "http_date", List.of("-86400"), sint(1700000000L), "str:Mon, 13 Nov 2023 22:13:20 GMT"),
                c("int(1700000000123),http_date(0,ms)", "http_date", List.of("0", "ms"), sint(1700000000123L), "str:Tue, 14 Nov 2023 22:13:20.123 GMT"),
                c("int(1700000000005),http_date(0,ms)", "http_date", List.of("0", "ms"), sint(1700000000005L), "str:Tue, 14 Nov 2023 22:13:20.5 GMT"),
                c("int(1700000000123456),http_date(0,us)", "http_date", List.of("0", "us"), sint(1700000000123456L), "str:Tue, 14 Nov 2023 22:13:20.123456 GMT"),
                c("int(1700000000000007),http_date(0,us)", "http_date", List.of("0", "us"), sint(1700000000000007L), "str:Tue, 14 Nov 2023 22:13:20.7 GMT"),
                c("int(1700000000),http_date(0,s)", "http_date", List.of("0", "s"), sint(1700000000L), "str:Tue, 14 Nov 2023 22:13:20 GMT"),
                c("int(1700000000123),http_date(1000,ms)", "http_date", List.of("1000", "ms"), sint(1700000000123L), "str:Tue, 14 Nov 2023 22:13:21.123 GMT"),
                c("int(-1),http_date", "http_date", List.of(), sint(-1L), "str:Sun, 13 Jun 1141709097 06:26:07 GMT"),
                c("int(-1500),http_date(0,ms)", "http_date", List.of("0", "ms"), sint(-1500L), "str:Sun, 13 Jun 1141709097 06:26:07.-500 GMT"),
                c("int(253402300800),http_date", "http_date", List.of(), sint(253402300800L), "str:Sat, 01 Jan 10000 00:00:00 GMT"),
                c("int(31556889864403199),http_date", "http_date", List.of(), sint(31556889864403199L), "str:Sun, 31 Dec 1000000000 23:59:59 GMT"),
                c("int(36028797018963967),http_date", "http_date", List.of(), sint(36028797018963967L), "str:Sun, 13 Jun 1141709097 06:26:07 GMT"),
                c("int(36028797018963968),http_date", "http_date", List.of(), sint(36028797018963968L), "str:Thu, 01 Jan 1970 00:00:00 GMT"),
                c("int(9223372036854775807),http_date(1)", "http_date", List.of("1"), sint(9223372036854775807L), "str:Thu, 01 Jan 1970 00:00:00 GMT"),
                c("str(1700000000),http_date", "http_date", List.of(), str("1700000000"), "str:Tue, 14 Nov 2023 22:13:20 GMT"),
                c("str(abc),http_date", "http_date", List.of(), str("abc"), "str:Thu, 01 Jan 1970 00:00:00 GMT"),
                c("int(951782400),http_date", "http_date", List.of(), sint(951782400L), "str:Tue, 29 Feb 2000 00:00:00 GMT"),
                c("int(4107542399),http_date", "http_date", List.of(), sint(4107542399L), "str:Sun, 28 Feb 2100 23:59:59 GMT"),
                c("int(1700000000),utime(%Y-%m-%d_%H:%M:%S)", "utime", List.of("%Y-%m-%d_%H:%M:%S"), sint(1700000000L), "str:2023-11-14_22:13:20"),
                c("int(1700000000),utime(%a_%A_%b_%B_%d_%e_%H_%I_%j_%m_%M_%p_%S_%y_%Y_%z_%Z_%s_%%)", "utime", List.of("%a_%A_%b_%B_%d_%e_%H_%I_%j_%m_%M_%p_%S_%y_%Y_%z_%Z_%s_%%"), sint(1700000000L), "str:Tue_Tuesday_Nov_November_14_14_22_10_318_11_13_PM_20_23_2023_+0000_GMT_1700000000_%"),
                c("int(1700000000),utime(%c|%D|%F|%T|%R|%r|%x|%X|%u|%w|%U|%W|%V|%G|%g|%C|%h|%k|%l|%n|%t|%P)", "utime", List.of("%c|%D|%F|%T|%R|%r|%x|%X|%u|%w|%U|%W|%V|%G|%g|%C|%h|%k|%l|%n|%t|%P"), sint(1700000000L), "str:Tue Nov 14 22:13:20 2023|11/14/23|2023-11-14|22:13:20|22:13|10:13:20 PM|11/14/23|22:13:20|2|2|46|46|46|2023|23|20|Nov|22|10|\n|\t|pm"),
                c("int(1699999999),utime(%a_%A_%b_%B_%d_%e_%H_%I_%j_%p_%U_%W_%V_%G_%u_%w)", "utime", List.of("%a_%A_%b_%B_%d_%e_%H_%I_%j_%p_%U_%W_%V_%G_%u_%w"), sint(1699999999L), "str:Tue_Tuesday_Nov_November_14_14_22_10_318_PM_46_46_46_2023_2_2"),
                c("int(1704067200),utime(%a_%d_%j_%U_%W_%V_%G_%g_%u_%w)", "utime", List.of("%a_%d_%j_%U_%W_%V_%G_%g_%u_%w"), sint(1704067200L), "str:Mon_01_001_00_01_01_2024_24_1_1"),
                c("int(1703980800),utime(%a_%d_%j_%U_%W_%V_%G_%g_%u_%w)", "utime", List.of("%a_%d_%j_%U_%W_%V_%G_%g_%u_%w"), sint(1703980800L), "str:Sun_31_365_53_52_52_2023_23_7_0"),
                c("int(1609459200),utime(%a_%d_%j_%U_%W_%V_%G_%g_%u_%w)", "utime", List.of("%a_%d_%j_%U_%W_%V_%G_%g_%u_%w"), sint(1609459200L), "str:Fri_01_001_00_00_53_2020_20_5_5"),
                c("int(1609372800),utime(%a_%d_%j_%U_%W_%V_%G_%g_%u_%w)", "utime", List.of("%a_%d_%j_%U_%W_%V_%G_%g_%u_%w"), sint(1609372800L), "str:Thu_31_366_52_52_53_2020_20_4_4"),
                c("int(1230768000),utime(%a_%d_%j_%U_%W_%V_%G_%g_%u_%w)", "utime", List.of("%a_%d_%j_%U_%W_%V_%G_%g_%u_%w"), sint(1230768000L), "str:Thu_01_001_00_00_01_2009_09_4_4"),
                c("int(1262217600),utime(%a_%d_%j_%U_%W_%V_%G_%g_%u_%w)", "utime", List.of("%a_%d_%j_%U_%W_%V_%G_%g_%u_%w"), sint(1262217600L), "str:Thu_31_365_52_52_53_2009_09_4_4"),
                c("int(1293753600),utime(%a_%d_%j_%U_%W_%V_%G_%g_%u_%w)", "utime", List.of("%a_%d_%j_%U_%W_%V_%G_%g_%u_%w"), sint(1293753600L), "str:Fri_31_365_52_52_52_2010_10_5_5"),
                c("int(1700000000),utime(%Y,3600)", "utime", List.of("%Y", "3600"), sint(1700000000L), "str:2023"),
                c("int(1700000000),utime(%s,3600)", "utime", List.of("%s", "3600"), sint(1700000000L), "str:1700003600"),
                c("int(1700000000),utime(%Y|%C|%y|%G,-60000000000)", "utime", List.of("%Y|%C|%y|%G", "-60000000000"), sint(1700000000L), "str:122|1|22|122"),
                c("int(1700000000),utime(%Y|%C|%y|%G|%s,-1800000000)", "utime", List.of("%Y|%C|%y|%G|%s", "-1800000000"), sint(1700000000L), "str:1966|19|66|1966|-100000000"),
                c("int(1700000000),utime(%Y|%C|%y|%G|%s,-61000000000)", "utime", List.of("%Y|%C|%y|%G|%s", "-61000000000"), sint(1700000000L), "str:90|0|90|90|-59300000000"),
                c("int(36028797018963967),utime(%Y|%C|%y|%G|%s)", "utime", List.of("%Y|%C|%y|%G|%s"), sint(36028797018963967L), "str:1141709097|11417090|97|1141709097|36028797018963967"),
                c("int(-1),utime(%Y-%m-%d|%s)", "utime", List.of("%Y-%m-%d|%s"), sint(-1L), "str:1141709097-06-13|36028797018963967"),
                c("int(1700000000),utime()", "utime", List.of(), sint(1700000000L), "str:"),
                c("int(1700000000),utime(%H,)", "utime", List.of("%H", ""), sint(1700000000L), "str:22"),
                c("int(1700000000),utime(x%)", "utime", List.of("x%"), sint(1700000000L), "str:x%"),
                c("int(1700000000),utime(%E)", "utime", List.of("%E"), sint(1700000000L), "str:%E"),
                c("int(1700000000),utime(%Ex)", "utime", List.of("%Ex"), sint(1700000000L), "str:11/14/23"),
                c("int(1700000000),utime(%Oe)", "utime", List.of("%Oe"), sint(1700000000L), "str:14"),
                c("int(1700000000),utime(%+)", "utime", List.of("%+"), sint(1700000000L), "str:%+"),
                c("int(1700000000),utime(%v)", "utime", List.of("%v"), sint(1700000000L), "str:%v"),
                c("int(1700000000),utime(%L_%N_%f_%q)", "utime", List.of("%L_%N_%f_%q"), sint(1700000000L), "str:%L_%N_%f_%q"),
                c("int(1700000000),utime(%Y|%C|%y|%G|%g|%F|%D|%c,-63700000000)", "utime", List.of("%Y|%C|%y|%G|%g|%F|%D|%c", "-63700000000"), sint(1700000000L), "str:5|0|05|5|05|5-04-19|04/19/05|Tue Apr 19 09:46:40 5"),
                c("int(1700000000),utime(%Y|%C|%y|%G|%g|%F|%a,-64500000000)", "utime", List.of("%Y|%C|%y|%G|%g|%F|%a", "-64500000000"), sint(1700000000L), "str:-21|-1|79|-21|79|-21-12-13|Thu"),
                c("int(1700000000),utime(%Y|%C|%y|%G|%g|%F|%a|%s,-100000000000)", "utime", List.of("%Y|%C|%y|%G|%g|%F|%a|%s", "-100000000000"), sint(1700000000L), "str:-1146|-12|54|-1146|54|-1146-12-30|Wed|-98300000000"),
                c("int(1700000000),utime(%Q_%Ey_%Od_%-d_%_d_%05d_%^a_%10Y_%)", "utime", List.of("%Q_%Ey_%Od_%-d_%_d_%05d_%^a_%10Y_%"), sint(1700000000L), "str:%Q_23_14_14_14_00014_TUE_0000002023_%"),
                c("int(1700000000),utime(%-H:%-M|%_H|%0e|%-j|%_j|%3d|%^B|%^p|%^Z)", "utime", List.of("%-H:%-M|%_H|%0e|%-j|%_j|%3d|%^B|%^p|%^Z"), sint(1700000000L), "str:22:13|22|14|318|318|014|NOVEMBER|PM|GMT"),
                c("int(1700000000),utime(%0C|%_C|%4C|%0Y|%_Y|%6G|%-y|%_y|%0e|%-e|%3j|%1j|%-5d|%_5d|%^5a|%5a|%05a|%-a|%_b,-63700000000)", "utime", List.of("%0C|%_C|%4C|%0Y|%_Y|%6G|%-y|%_y|%0e|%-e|%3j|%1j|%-5d|%_5d|%^5a|%5a|%05a|%-a|%_b", "-63700000000"), sint(1700000000L), "str:0|0|0000|5|5|000005|5| 5|19|19|109|109|   19|   19|  TUE|  Tue|00Tue|Tue|Apr"),
                c("int(1700000000),utime(%0Y|%_Y|%03Y|%_3Y,-64000000000)", "utime", List.of("%0Y|%_Y|%03Y|%_3Y", "-64000000000"), sint(1700000000L), "str:-5|-5|-05| -5"),
                c("int(1700000000),utime(%#a|%#A|%#b|%#B|%#p|%#P|%#Z|%^Z|%#c|%^c|%^P|%#x|%#h|%^h|%^10B|%#10b|%^r|%#Y|%#d)", "utime", List.of("%#a|%#A|%#b|%#B|%#p|%#P|%#Z|%^Z|%#c|%^c|%^P|%#x|%#h|%^h|%^10B|%#10b|%^r|%#Y|%#d"), sint(1700000000L), "str:TUE|TUESDAY|NOV|NOVEMBER|pm|pm|gmt|GMT|Tue Nov 14 22:13:20 2023|TUE NOV 14 22:13:20 2023|pm|11/14/23|NOV|NOV|  NOVEMBER|       NOV|10:13:20 PM|2023|14"),
                c("int(1700000000),utime(%-10a|%_10a|%010d|%_010d|%0_10d|%-_5d|%^#a|%#^a)", "utime", List.of("%-10a|%_10a|%010d|%_010d|%0_10d|%-_5d|%^#a|%#^a"), sint(1700000000L), "str:       Tue|       Tue|0000000014|0000000014|        14|   14|TUE|TUE"),
                c("int(1700000000),utime(%-Q|%_Q|%5Q|%E%|%O%|%5%|%-%|%EQ|%Ea|%Oa|%EY|%EC|%Ey|%OY|%Ox)", "utime", List.of("%-Q|%_Q|%5Q|%E%|%O%|%5%|%-%|%EQ|%Ea|%Oa|%EY|%EC|%Ey|%OY|%Ox"), sint(1700000000L), "str:%-Q|%_Q|  %5Q|%|%|    %|%|%EQ|%Ea|%Oa|2023|20|23|%OY|%Ox"),
                c("int(1700000000),utime(%10s|%-s|%_12s|%5n|%3t|%5%|%20c|%12D|%12F|%12T|%12R|%12r|%12x)", "utime", List.of("%10s|%-s|%_12s|%5n|%3t|%5%|%20c|%12D|%12F|%12T|%12R|%12r|%12x"), sint(1700000000L), "str:1700000000|1700000000|  1700000000|    \n|  \t|    %|Tue Nov 14 22:13:20 2023|    11/14/23|  2023-11-14|    22:13:20|       22:13| 10:13:20 PM|    11/14/23"),
                c("int(1700000000),utime(%3u|%-u|%3w|%-U|%_V|%3G|%3g|%3V|%OC|%Ej|%Oj|%Es|%Ou|%Ez|%OZ|%EP|%Ob|%OB|%Oh)", "utime", List.of("%3u|%-u|%3w|%-U|%_V|%3G|%3g|%3V|%OC|%Ej|%Oj|%Es|%Ou|%Ez|%OZ|%EP|%Ob|%OB|%Oh"), sint(1700000000L), "str:002|2|002|46|46|2023|023|046|20|%Ej|318|1700000000|2|+0000|GMT|pm|Nov|November|Nov"),
                c("int(32),utime(%I_%l_%p|%-I|%_I)", "utime", List.of("%I_%l_%p|%-I|%_I"), sint(32L), "str:12_12_AM|12|12"),
                c("int(43200),utime(%I_%l_%p_%r)", "utime", List.of("%I_%l_%p_%r"), sint(43200L), "str:12_12_PM_12:00:00 PM"),
                c("str(1700000000),utime(%F)", "utime", List.of("%F"), str("1700000000"), "str:2023-11-14"),
                c("bool(1),utime(%s)", "utime", List.of("%s"), bool(true), "str:1"),
                c("int(1700000000),ltime(%Y-%m-%d_%H:%M:%S_%z_%Z_%s)", "ltime", List.of("%Y-%m-%d_%H:%M:%S_%z_%Z_%s"), sint(1700000000L), "str:2023-11-14_22:13:20_+0000_UTC_1700000000")
        );
    }

    static java.util.stream.Stream<Arguments> parisCases() {
        return java.util.stream.Stream.of(
                c("int(1700000000),ltime(%Y-%m-%d_%H:%M:%S_%z_%Z_%s)", "ltime", List.of("%Y-%m-%d_%H:%M:%S_%z_%Z_%s"), sint(1700000000L), "str:2023-11-14_23:13:20_+0100_CET_1700000000"),
                c("int(1690000000),ltime(%Y-%m-%d_%H:%M:%S_%z_%Z_%s_%c)", "ltime", List.of("%Y-%m-%d_%H:%M:%S_%z_%Z_%s_%c"), sint(1690000000L), "str:2023-07-22_06:26:40_+0200_CEST_1690000000_Sat Jul 22 06:26:40 2023"),
                c("int(1700000000),ltime(%H,3600)", "ltime", List.of("%H", "3600"), sint(1700000000L), "str:00"),
                c("int(1711846800),ltime(%H:%M_%Z_%z)", "ltime", List.of("%H:%M_%Z_%z"), sint(1711846800L), "str:03:00_CEST_+0200"),
                c("int(1711843199),ltime(%H:%M:%S_%Z_%z)", "ltime", List.of("%H:%M:%S_%Z_%z"), sint(1711843199L), "str:00:59:59_CET_+0100"),
                c("int(1729990800),ltime(%H:%M:%S_%Z_%z)", "ltime", List.of("%H:%M:%S_%Z_%z"), sint(1729990800L), "str:02:00:00_CET_+0100"),
                c("int(1729987200),ltime(%H:%M:%S_%Z_%z)", "ltime", List.of("%H:%M:%S_%Z_%z"), sint(1729987200L), "str:02:00:00_CEST_+0200"),
                c("int(1700000000),ltime(%Y-%m-%d_%H:%M:%S_%z_%s,-3000000000)", "ltime", List.of("%Y-%m-%d_%H:%M:%S_%z_%s", "-3000000000"), sint(1700000000L), "str:1928-10-21_16:53:20_+0000_-1300000000"),
                c("int(1700000000),utime(%Y-%m-%d_%H:%M:%S_%z_%Z)", "utime", List.of("%Y-%m-%d_%H:%M:%S_%z_%Z"), sint(1700000000L), "str:2023-11-14_22:13:20_+0000_GMT"),
                c("int(1700000000),utime(%s)", "utime", List.of("%s"), sint(1700000000L), "str:1699996400"),
                c("int(1690000000),utime(%s)", "utime", List.of("%s"), sint(1690000000L), "str:1689996400"),
                c("int(1700000000),ltime(%s)", "ltime", List.of("%s"), sint(1700000000L), "str:1700000000")
        );
    }

    static java.util.stream.Stream<Arguments> errors() {
        return java.util.stream.Stream.of(
                e("str(abc),digest(sha512/224)", "digest", List.of("sha512/224")),
                e("str(abc),digest(md2)", "digest", List.of("md2")),
                e("str(abc),digest(nope)", "digest", List.of("nope")),
                e("str(abc),hmac(sha256,c2VjcmV0x)", "hmac", List.of("sha256", "c2VjcmV0x")),
                e("str(abc),hmac(nope,c2VjcmV0)", "hmac", List.of("nope", "c2VjcmV0")),
                e("str(abc),sha2(0)", "sha2", List.of("0")),
                e("str(abc),sha2(100)", "sha2", List.of("100")),
                e("str(abc),sha2(x)", "sha2", List.of("x")),
                e("str(abc),field(0,_)", "field", List.of("0", "_")),
                e("str(abc),field(1,\"\")", "field", List.of("1", "")),
                e("str(abc),word(1,_,x)", "word", List.of("1", "_", "x")),
                e("str(abc),field(x,_)", "field", List.of("x", "_")),
                e("str(abc),word(1)", "word", List.of("1")),
                e("str(abc),regsub(b,X,x)", "regsub", List.of("b", "X", "x")),
                e("str(abc),regsub(\"(\",x)", "regsub", List.of("(", "x")),
                e("str(abc),regsub(b)", "regsub", List.of("b")),
                e("str(abc),url_enc(param)", "url_enc", List.of("param")),
                e("str(x),json(bad)", "json", List.of("bad")),
                e("int(1),add(abc)", "add", List.of("abc")),
                e("int(1),add(1x)", "add", List.of("1x")),
                e("int(1),add(foo.bar)", "add", List.of("foo.bar")),
                e("int(1),add(txn.)", "add", List.of("txn.")),
                e("int(1),add(txn.a-b)", "add", List.of("txn.a-b")),
                e("int(1),add(5 )", "add", List.of("5 ")),
                e("int(1),div(txn)", "div", List.of("txn")),
                e("str(x),concat(,foo,)", "concat", List.of("", "foo", "")),
                e("str(x),strcmp(x)", "strcmp", List.of("x")),
                e("str(x),strcmp()", "strcmp", List.of()),
                e("str(x),secure_memcmp(foo)", "secure_memcmp", List.of("foo")),
                e("str(x),iif(a)", "iif", List.of("a")),
                e("ipv4(1.2.3.4),ipmask(33)", "ipmask", List.of("33")),
                e("ipv4(1.2.3.4),ipmask(-1)", "ipmask", List.of("-1")),
                e("ipv4(1.2.3.4),ipmask(24,129)", "ipmask", List.of("24", "129")),
                e("ipv4(1.2.3.4),ipmask(1.2.3)", "ipmask", List.of("1.2.3")),
                e("ipv4(1.2.3.4),ipmask(01.2.3.4)", "ipmask", List.of("01.2.3.4")),
                e("ipv4(1.2.3.4),ipmask(24,1::2::3)", "ipmask", List.of("24", "1::2::3")),
                e("ipv4(1.2.3.4),ipmask()", "ipmask", List.of()),
                e("int(1),http_date(,ms)", "http_date", List.of("", "ms")),
                e("int(1),http_date(0,m)", "http_date", List.of("0", "m")),
                e("int(1),http_date(x)", "http_date", List.of("x")),
                e("str(abc),bytes()", "bytes", List.of()),
                e("str(abc),bytes(x)", "bytes", List.of("x")),
                e("str(abc),lower(1)", "lower", List.of("1")),
                e("str(abc),crc32(x)", "crc32", List.of("x")),
                e("str(abc),xxh64(1.5)", "xxh64", List.of("1.5")),
                e("int(1),add(check.x)", "add", List.of("check.x")), // HAProxy accepts it; see the class comment
                e("int(1),utime(%H,x)", "utime", List.of("%H", "x")),
                e("str(abc),sdbm(1,2)", "sdbm", List.of("1", "2")),
                e("str(aXbXc),regsub([X],\\\\,g)", "regsub", List.of("[X]", "\\", "g")), // HAProxy accepts it; see the class comment
                e("str(abc),regsub(b,\"\\\\x4\")", "regsub", List.of("b", "\\x4")) // HAProxy accepts it; see the class comment
        );
    }
}
