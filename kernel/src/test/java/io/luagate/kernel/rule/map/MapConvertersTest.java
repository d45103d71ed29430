package io.luagate.kernel.rule.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.sample.Converter;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The map converters through the registry. Rows marked "(haproxy)" were checked against HAProxy 2.6.12. */
class MapConvertersTest {

    @TempDir
    Path tmp;

    private SampleRegistry registry;
    private CompileContext context;

    @BeforeEach
    void setUp() throws IOException {
        registry = new SampleRegistry();
        MapConverters.register(registry);
        context = new CompileContext(tmp, new Maps(tmp), registry);
        write("geo.map", "/api api\n/api/v1 v1\n/ root\n");
        write("beg.map", "/api/v1 longer\n/api short\n/ root\n/api/v1 dupe\n");
        write("dup.map", "abc first\nabc second\n");
        write("end.map", ".com com\nexample.com excom\n");
        write("fmt.map", "keyonly\nk2   \t v a l  \t \n");
        write("int2.map", "keyonly\nk5 5\n");
        write("ints.map", "10 ten\n5:7 fivetoseven\n20: twentyplus\n-3 lethree\n");
        write("ip.map", "10.0.0.0/8 ten8\n10.1.0.0/16 ten16\n0.0.0.0/0 all\n::ffff:192.168.0.0/112 mapped\n2001:db8::/32 doc\n");
        write("ipval.map", "10.0.0.0/8 10.0.0.1x\n192.168.0.0/16 2001:db8::1\n");
        write("bad-int.map", "a 1\nb 12abc\n");
        write("int-ip.map", "10.0.0.0/8 7\n");
        write("counts.map", "/c 3\n");
        write("reg.map", "^/a/ first\n/b$ second\n");
        write("reg-int.map", "^/a/ 1\n(?i)^/a/ 2\n");
    }

    private void write(String name, String content) throws IOException {
        Files.write(tmp.resolve(name), content.getBytes(StandardCharsets.ISO_8859_1));
    }

    private Converter compile(String keyword, String... args) throws RuleSyntaxException {
        return registry.converter(keyword).compile(new Args(keyword, List.of(args), 1), context);
    }

    private Object convert(String keyword, List<String> args, Object input) throws RuleSyntaxException {
        return compile(keyword, args.toArray(new String[0])).convert(null, input);
    }

    @Test
    void theBriefsExample() throws RuleSyntaxException {
        Object out = registry.converter("map_beg").compile(new Args("map_beg", List.of("geo.map", "none"), 1),
                new CompileContext(tmp, new Maps(tmp), registry)).convert(null, "/api/x");
        assertEquals("api", out);
    }

    @Test
    void keywordsAreHaproxys() {
        Set<String> expected = new TreeSet<>(List.of("map"));
        for (String m : List.of("str", "beg", "sub", "dir", "dom", "end", "reg", "int", "ip")) {
            expected.add("map_" + m);
            expected.add("map_" + m + "_int");
            expected.add("map_" + m + "_ip");
        }
        assertEquals(28, expected.size());
        assertEquals(expected, registry.converterKeywords());
        assertNull(registry.converter("map_beg_str")); // (haproxy): unknown converter
    }

    /** keyword, arguments, input, expected output (null: the converter fails). */
    static Stream<Arguments> conversions() throws Exception {
        return Stream.of(
                Arguments.of("map", List.of("dup.map", "none"), "abc", "first"), // (haproxy)
                Arguments.of("map_str", List.of("dup.map", "none"), "abd", "none"),
                Arguments.of("map_str", List.of("dup.map"), "abd", null), // no default: fails
                Arguments.of("map_beg", List.of("beg.map", "none"), "/api/v1/x", "longer"), // (haproxy)
                Arguments.of("map_beg", List.of("beg.map", "none"), "/api/v2", "short"), // (haproxy)
                Arguments.of("map_beg", List.of("beg.map", "none"), "x", "none"), // (haproxy)
                Arguments.of("map_end", List.of("end.map", "none"), "www.example.com", "com"), // (haproxy)
                Arguments.of("map_sub", List.of("geo.map", "none"), "x/api/v1", "api"),
                Arguments.of("map_dir", List.of("geo.map", "none"), "/x/api/v1", "api"),
                Arguments.of("map_dom", List.of("end.map", "none"), "www.example.com", "com"),
                Arguments.of("map_reg", List.of("end.map", "none"), "examplexcom", "com"), // ".com" finds "xcom" first
                Arguments.of("map_reg", List.of("reg.map", "none"), "/x/b", "second"),
                Arguments.of("map_reg", List.of("reg.map", "none"), "/a/b", "first"),
                Arguments.of("map_reg_int", List.of("reg-int.map", "-1"), "/A/b", 2L),
                Arguments.of("map", List.of("fmt.map", "none"), "keyonly", ""), // (haproxy)
                Arguments.of("map", List.of("fmt.map", "none"), "k2", "v a l"), // (haproxy)
                Arguments.of("map", List.of("fmt.map", ""), "zz", ""), // (haproxy): an empty default
                Arguments.of("map_str", List.of("dup.map", "none"), 12L, "none"),
                Arguments.of("map_str_int", List.of("int2.map", "-1"), "keyonly", 0L), // (haproxy)
                Arguments.of("map_str_int", List.of("int2.map", "-1"), "k5", 5L), // (haproxy)
                Arguments.of("map_str_int", List.of("int2.map", "-1"), "zz", -1L), // (haproxy)
                Arguments.of("map_int", List.of("ints.map", "none"), "10", "ten"), // (haproxy)
                Arguments.of("map_int", List.of("ints.map", "none"), 6L, "fivetoseven"), // (haproxy)
                Arguments.of("map_int", List.of("ints.map", "none"), "21", "twentyplus"), // (haproxy)
                Arguments.of("map_int", List.of("ints.map", "none"), "abc", "lethree"), // (haproxy)
                Arguments.of("map_int", List.of("ints.map", "none"), "12abc", "none"), // (haproxy)
                Arguments.of("map_int", List.of("ints.map", "none"), "", null), // (haproxy): no integer
                Arguments.of("map_ip", List.of("ip.map", "none"), "10.1.2.3", "ten16"), // (haproxy)
                Arguments.of("map_ip", List.of("ip.map", "none"), "10.2.3.4", "ten8"), // (haproxy)
                Arguments.of("map_ip", List.of("ip.map", "none"), "192.168.1.1", "all"), // (haproxy)
                Arguments.of("map_ip", List.of("ip.map", "none"), "::ffff:192.168.1.1", "mapped"), // (haproxy)
                Arguments.of("map_ip", List.of("ip.map", "none"), "::ffff:10.1.0.1", "ten16"), // (haproxy)
                Arguments.of("map_ip", List.of("ip.map", "none"), "2002:0a01:0001::", "ten16"), // (haproxy)
                Arguments.of("map_ip", List.of("ip.map", "none"), "10.1.2.3abc", "ten16"), // (haproxy)
                Arguments.of("map_ip", List.of("ip.map", "none"), "2001:db8::1", "doc"), // (haproxy)
                Arguments.of("map_ip", List.of("ip.map", "none"), "10.1.2.3.4", null), // (haproxy): not an address
                Arguments.of("map_ip", List.of("ip.map", "none"), "x", null), // (haproxy)
                Arguments.of("map_ip", List.of("ip.map", "none"), InetAddress.getByName("10.9.9.9"), "ten8"),
                Arguments.of("map_ip", List.of("ip.map", "none"), InetAddress.getByName("2001:db9::1"), "none"),
                Arguments.of("map_ip_ip", List.of("ipval.map", "127.0.0.1"), "10.0.0.7", InetAddress.getByName("10.0.0.1")),
                Arguments.of("map_ip_ip", List.of("ipval.map", "127.0.0.1"), "192.168.0.7", InetAddress.getByName("2001:db8::1")),
                Arguments.of("map_ip_ip", List.of("ipval.map", "::1"), "11.0.0.1", InetAddress.getByName("::1")),
                Arguments.of("map_str_ip", List.of("ipval.map"), "10.0.0.0/8", InetAddress.getByName("10.0.0.1")),
                Arguments.of("map_ip_int", List.of("int-ip.map", "0"), "10.0.0.1", 7L),
                Arguments.of("map_ip_int", List.of("int-ip.map", "0"), "11.0.0.1", 0L));
    }

    @ParameterizedTest(name = "{0}{1} on {2} -> {3}")
    @MethodSource("conversions")
    void conversions(String keyword, List<String> args, Object input, Object expected) throws Exception {
        assertEquals(expected, convert(keyword, args, input));
    }

    @Test
    void relativeFilesResolveAgainstHome() throws Exception {
        Files.createDirectories(tmp.resolve("maps"));
        write("maps/hosts.map", "example.com be1\n");
        assertEquals("be1", convert("map", List.of("maps/hosts.map"), "example.com"));
        assertEquals("be1", convert("map", List.of(tmp.resolve("maps/hosts.map").toString()), "example.com"));
    }

    @Test
    void loadErrorsNameTheFileAndLine() {
        RuleSyntaxException e = assertThrows(RuleSyntaxException.class, () -> compile("map_str_int", "bad-int.map"));
        assertEquals("'map_str_int' " + tmp.resolve("bad-int.map") + ":2: unable to parse '12abc'", e.getMessage());
        assertEquals(1, e.column());
        e = assertThrows(RuleSyntaxException.class, () -> compile("map_ip", "geo.map"));
        assertEquals("'map_ip' " + tmp.resolve("geo.map") + ":1: '/api' is not a valid IPv4 or IPv6 address", e.getMessage());
        e = assertThrows(RuleSyntaxException.class, () -> compile("map_str_ip", "fmt.map", "1.2.3.4"));
        assertTrue(e.getMessage().endsWith("fmt.map:1: unable to parse ''"), e.getMessage()); // (haproxy)
        e = assertThrows(RuleSyntaxException.class, () -> compile("map", "missing.map"));
        assertTrue(e.getMessage().contains("failed to open pattern file"), e.getMessage());
        e = assertThrows(RuleSyntaxException.class, () -> compile("map_str_int", "int2.map", "abc"));
        assertEquals("'map_str_int' default value 'abc' is not an integer", e.getMessage()); // (haproxy): refused
        assertThrows(RuleSyntaxException.class, () -> compile("map_str_int", "int2.map", ""));
        e = assertThrows(RuleSyntaxException.class, () -> compile("map_ip_ip", "ipval.map", "1.2.3"));
        assertEquals("'map_ip_ip' cannot parse default ip '1.2.3'", e.getMessage());
        assertThrows(RuleSyntaxException.class, () -> compile("map"));
        assertThrows(RuleSyntaxException.class, () -> compile("map", "geo.map", "a", "b"));
        assertThrows(RuleSyntaxException.class, () -> compile("map", ""));
    }

    @Test
    void runtimeUpdatesReachCompiledConverters() throws Exception {
        Converter conv = compile("map_beg", "geo.map", "none");
        Converter counts = compile("map_beg_int", "counts.map", "0");
        MapStore map = context.maps().map("geo.map");
        map.set("/static", "files");
        assertEquals("files", conv.convert(null, "/static/a.css"));
        map.delete("/");
        assertEquals("none", conv.convert(null, "/x"));
        assertEquals(3L, counts.convert(null, "/c/d"));
        context.maps().map("counts.map").set("/x", "4");
        assertEquals(4L, counts.convert(null, "/x/y"));
        assertThrows(io.luagate.kernel.rule.match.PatternException.class, () -> context.maps().map("counts.map").set("/y", "four"));
        assertEquals(0L, counts.convert(null, "/y"));
    }
}
