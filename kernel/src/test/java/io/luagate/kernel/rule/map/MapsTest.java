package io.luagate.kernel.rule.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.rule.match.MatchMethod;
import io.luagate.kernel.rule.match.Matcher;
import io.luagate.kernel.rule.match.PatternException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Map and pattern files. Rows marked "(haproxy)" were checked against HAProxy 2.6.12's map converters. */
class MapsTest {

    @TempDir
    Path home;

    private Path write(String name, String content) throws IOException {
        Path file = home.resolve(name);
        Files.write(file, content.getBytes(StandardCharsets.ISO_8859_1));
        return file;
    }

    private static Map.Entry<String, String> entry(String key, String value) {
        return new SimpleImmutableEntry<>(key, value);
    }

    @Test
    void mapFileSyntax() throws Exception {
        write("fmt.map", "# comment\n\n   \t \nkeyonly\nk2   \t v a l  \t \nk3\tx\r\n  #notcomment val\n"
                + "\tindented value\nk4 cr\rignored\nlast no-newline");
        MapStore map = new Maps(home).map("fmt.map");
        assertEquals(List.of(entry("keyonly", ""), entry("k2", "v a l"), entry("k3", "x"), entry("#notcomment", "val"),
                entry("indented", "value"), entry("k4", "cr"), entry("last", "no-newline")), map.entries());
        // (haproxy): a key alone has the empty value; '#' after blanks is not a comment
        assertEquals("", map.lookup(MatchMethod.STR, "keyonly"));
        assertEquals("v a l", map.lookup(MatchMethod.STR, "k2"));
        assertEquals("val", map.lookup(MatchMethod.STR, "#notcomment"));
        assertNull(map.lookup(MatchMethod.STR, "# comment"));
    }

    @Test
    void patternFileSyntax() throws Exception {
        write("ua.lst", "# comment\nfoo  \n  bar\n\n\t\nwith space\r\n #hash\n");
        AclStore acl = new Maps(home).acl("ua.lst");
        // (haproxy): leading blanks go, trailing blanks stay part of the pattern
        assertEquals(List.of("foo  ", "bar", "with space", "#hash"), acl.patterns());
        Matcher m = acl.matcher(MatchMethod.STR, false);
        assertTrue(m.matches("bar"));
        assertTrue(m.matches("with space"));
        assertTrue(m.matches("#hash"));
        assertFalse(m.matches("foo")); // (haproxy)
        assertFalse(m.matches("# comment"));
    }

    @Test
    void badLinesAreReportedWithFileAndLine() throws Exception {
        write("ips.lst", "# networks\n10.0.0.0/8\n\nnot-an-ip\n");
        Maps maps = new Maps(home);
        AclStore acl = maps.acl("ips.lst");
        PatternException e = assertThrows(PatternException.class, () -> acl.matcher(MatchMethod.IP, false));
        assertEquals(home.resolve("ips.lst") + ":4", e.origin());
        assertEquals("'not-an-ip' is not a valid IPv4 or IPv6 address", e.getMessage());
        assertTrue(acl.matcher(MatchMethod.STR, false).matches("not-an-ip")); // fine as strings

        write("ints.map", "a 1\nb -2\nc 12abc\n");
        MapStore ints = maps.map("ints.map");
        e = assertThrows(PatternException.class, () -> ints.view(MatchMethod.STR, MapStore.Output.INT));
        assertEquals(home.resolve("ints.map") + ":3", e.origin());
        assertEquals("unable to parse '12abc'", e.getMessage()); // (haproxy)

        write("geo.map", "10.0.0.0/8 a\n\n127.1 b\n");
        e = assertThrows(PatternException.class, () -> maps.map("geo.map").view(MatchMethod.IP, MapStore.Output.STR));
        assertEquals(home.resolve("geo.map") + ":3", e.origin()); // (haproxy): short forms are not read in maps

        write("noval.map", "1.2.3.4 10.0.0.1\nk\n");
        e = assertThrows(PatternException.class, () -> maps.map("noval.map").view(MatchMethod.STR, MapStore.Output.IP));
        assertEquals(home.resolve("noval.map") + ":2", e.origin());
        assertEquals("unable to parse ''", e.getMessage()); // (haproxy)
        // a key alone is 0 as an integer (haproxy)
        write("zero.map", "k\n");
        assertEquals(0L, maps.map("zero.map").view(MatchMethod.STR, MapStore.Output.INT).get("k", null));
    }

    @Test
    void filesAreLoadedOnceAndKeptApart() throws Exception {
        Files.createDirectories(home.resolve("sub"));
        write("sub/a.map", "k v\n");
        write("a.lst", "x\n");
        Maps maps = new Maps(home);
        assertNull(maps.findMap("sub/a.map"));
        MapStore map = maps.map("sub/a.map");
        assertSame(map, maps.map("./sub/../sub/a.map"));
        assertSame(map, maps.map(home.resolve("sub/a.map").toString()));
        assertSame(map, maps.findMap("sub/a.map"));
        assertEquals(home.resolve("sub/a.map").toAbsolutePath().normalize(), map.file());
        assertSame(maps.acl("a.lst"), maps.acl("a.lst"));
        PatternException e = assertThrows(PatternException.class, () -> maps.acl("sub/a.map"));
        assertTrue(e.getMessage().contains("already used as a two-column map file"), e.getMessage());
        e = assertThrows(PatternException.class, () -> maps.map("a.lst"));
        assertTrue(e.getMessage().contains("already used as a one-column pattern file"), e.getMessage());
        e = assertThrows(PatternException.class, () -> maps.map("missing.map"));
        assertEquals(home.resolve("missing.map").toString(), e.origin());
        assertTrue(e.getMessage().startsWith("failed to open pattern file"), e.getMessage());
    }

    static final String PRECEDENCE_MAP = String.join("\n",
            "abc first", "abc second", // str: duplicates, the first
            "/api short", "/api/v1 longer", "/ root", "/api/v1 dupe", // beg: the longest
            ".com com", "example.com excom", // end: the first in the file
            "10.0.0.0/8 ten8", "10.1.0.0/16 ten16", "10.1.0.0/16 ten16b", "0.0.0.0/0 all",
            "::ffff:192.168.0.0/112 mapped", "2001:db8::/32 doc") + "\n";

    /** method, key, expected value (null: no match). */
    static Stream<Arguments> precedence() {
        return Stream.of(
                Arguments.of("str", "abc", "first"), // (haproxy)
                Arguments.of("str", "/api", "short"), // (haproxy)
                Arguments.of("str", "ab", null),
                Arguments.of("beg", "/api/v1/x", "longer"), // (haproxy)
                Arguments.of("beg", "/api/v2", "short"), // (haproxy)
                Arguments.of("beg", "/x", "root"), // (haproxy)
                Arguments.of("beg", "x", null), // (haproxy)
                Arguments.of("end", "www.example.com", "com"), // (haproxy): not the longest
                Arguments.of("end", "x.com", "com"), // (haproxy)
                Arguments.of("sub", "x/api/v1", "short"), // the first line containing it
                Arguments.of("sub", "zz", null),
                Arguments.of("dom", "www.example.com", "com"),
                Arguments.of("dir", "/x/api/v1/y", "short"), // the first in the file, not the longest
                Arguments.of("reg", "abc", "first"),
                Arguments.of("reg", "z.comz", "com"), // ".com" as a regex: the first that finds
                Arguments.of("ip", "10.1.2.3", "ten16"), // (haproxy)
                Arguments.of("ip", "10.2.3.4", "ten8"), // (haproxy)
                Arguments.of("ip", "192.168.1.1", "all"), // (haproxy)
                Arguments.of("ip", "::ffff:192.168.1.1", "mapped"), // (haproxy)
                Arguments.of("ip", "::ffff:10.1.0.1", "ten16"), // (haproxy)
                Arguments.of("ip", "2001:db8::1", "doc"), // (haproxy)
                Arguments.of("ip", "2001:db9::1", null));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("precedence")
    void lookupPrecedence(String method, String key, String expected) throws Exception {
        write("p.map", PRECEDENCE_MAP);
        MapStore map = new Maps(home).map("p.map");
        if (method.equals("ip")) {
            write("ip.map", PRECEDENCE_MAP.substring(PRECEDENCE_MAP.indexOf("10.0.0.0/8")));
            map = new Maps(home).map("ip.map");
        }
        assertEquals(expected, map.lookup(MatchMethod.parse(method), key));
    }

    @Test
    void integerMaps() throws Exception {
        write("int.map", "10 ten\n5:7 fivetoseven\n20: twentyplus\n-3 lethree\n");
        MapStore.Lookup lookup = new Maps(home).map("int.map").view(MatchMethod.INT, MapStore.Output.STR);
        assertEquals("ten", lookup.get("10", "none")); // (haproxy)
        assertEquals("fivetoseven", lookup.get("6", "none")); // (haproxy)
        assertEquals("twentyplus", lookup.get("21", "none")); // (haproxy)
        assertEquals("lethree", lookup.get("-7", "none")); // (haproxy): "-3" is ":3"
        assertEquals("lethree", lookup.get("abc", "none")); // (haproxy): "abc" is 0
        assertEquals("none", lookup.get("12abc", "none")); // (haproxy)
        assertNull(lookup.get("", "none")); // (haproxy): no integer, the converter fails
        assertEquals("ten", lookup.get(10L, "none"));
    }

    @Test
    void runtimeUpdatesAreSeenByExistingLookups() throws Exception {
        write("geo.map", "/api api\n/api/v1 v1\n");
        MapStore map = new Maps(home).map("geo.map");
        MapStore.Lookup beg = map.view(MatchMethod.BEG, MapStore.Output.STR);
        Matcher keys = map.matcher(MatchMethod.STR, false);
        assertEquals("v1", beg.get("/api/v1/x", null));

        map.set("/api/v1", "changed");
        assertEquals("changed", beg.get("/api/v1/x", null));
        map.set("/api/v1/users", "users");
        assertEquals("users", beg.get("/api/v1/users/7", null));
        assertTrue(keys.matches("/api/v1/users"));
        assertEquals(3, map.size());

        assertTrue(map.delete("/api/v1"));
        assertFalse(map.delete("/api/v1"));
        assertEquals("api", beg.get("/api/v1/x", null));
        map.clear();
        assertEquals("none", beg.get("/api/v1/x", "none"));
        assertFalse(keys.matches("/api/v1/users"));
        map.add("/", "root");
        map.add("/", "second");
        assertEquals(List.of(entry("/", "root"), entry("/", "second")), map.entries());
        map.set("/", "both");
        assertEquals(List.of(entry("/", "both"), entry("/", "both")), map.entries()); // every entry of the key
    }

    @Test
    void updatesThatBreakAConverterAreRefusedWhole() throws Exception {
        write("ip.map", "10.0.0.0/8 1\n");
        MapStore map = new Maps(home).map("ip.map");
        MapStore.Lookup lookup = map.view(MatchMethod.IP, MapStore.Output.INT);
        PatternException e = assertThrows(PatternException.class, () -> map.set("not-an-ip", "2"));
        assertEquals(home.resolve("ip.map") + ":runtime", e.origin());
        e = assertThrows(PatternException.class, () -> map.set("10.0.0.0/8", "two"));
        assertEquals("unable to parse 'two'", e.getMessage());
        assertEquals(List.of(entry("10.0.0.0/8", "1")), map.entries());
        assertEquals(1L, lookup.get("10.1.1.1", null));
        map.set("10.0.0.0/8", "-2");
        map.set("10.1.0.0/16", "3");
        assertEquals(-2L, lookup.get(InetAddress.getByName("10.2.0.1"), null));
        assertEquals(3L, lookup.get(InetAddress.getByName("10.1.0.1"), null));
        assertNull(lookup.get("nope", 0L)); // not an address: no sample, not the default
        assertEquals(0L, lookup.get("11.0.0.1", 0L));
    }

    @Test
    void aclFilesAreLive() throws Exception {
        write("bad.lst", "/admin\n/internal/\n");
        AclStore acl = new Maps(home).acl("bad.lst");
        Matcher beg = acl.matcher(MatchMethod.BEG, true);
        Matcher dir = acl.matcher(MatchMethod.DIR, false);
        assertTrue(beg.matches("/ADMIN/x"));
        assertTrue(dir.matches("/a/internal/b"));
        assertFalse(beg.matches("/debug"));
        assertTrue(acl.add("/debug"));
        assertFalse(acl.add("/debug")); // core.add_acl does not add a pattern twice
        assertTrue(beg.matches("/debug/vars"));
        assertTrue(dir.matches("/x/debug"));
        assertTrue(acl.delete("/admin"));
        assertFalse(beg.matches("/admin"));
        assertEquals(List.of("/internal/", "/debug"), acl.patterns());
        acl.clear();
        assertFalse(dir.matches("/x/debug"));
        assertEquals(0, acl.size());

        write("ports.lst", "80\n443\n8000:8999\n");
        AclStore ports = new Maps(home).acl("ports.lst");
        Matcher port = ports.matcher(MatchMethod.INT, false);
        assertTrue(port.matches(8080L));
        assertThrows(PatternException.class, () -> ports.add("http"));
        assertEquals(3, ports.size());
        assertTrue(ports.add("9000:"));
        assertTrue(port.matches(65535L));
    }

    @Test
    void lookupsDoNotWaitForAnUpdateInProgress() throws Exception {
        write("m.map", "k v0\n");
        MapStore map = new Maps(home).map("m.map");
        MapStore.Lookup lookup = map.view(MatchMethod.STR, MapStore.Output.STR);
        Matcher matcher = map.matcher(MatchMethod.BEG, false);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        map.store.lock.lock(); // as an update (or a preparation) in progress would
        try {
            Future<Object> value = pool.submit(() -> lookup.get("k", null));
            Future<Boolean> matched = pool.submit(() -> matcher.matches("k2"));
            assertEquals("v0", value.get(5, TimeUnit.SECONDS));
            assertTrue(matched.get(5, TimeUnit.SECONDS));
        } finally {
            map.store.lock.unlock();
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentReadersSeeConsistentSnapshots() throws Exception {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            content.append("/path/").append(i).append(" value").append(i).append('\n');
        }
        content.append("dup 0\ndup 0\ncounter 0\n");
        write("big.map", content.toString());
        MapStore map = new Maps(home).map("big.map");
        MapStore.Lookup str = map.view(MatchMethod.STR, MapStore.Output.STR);
        MapStore.Lookup beg = map.view(MatchMethod.BEG, MapStore.Output.STR);
        MapStore.Lookup counter = map.view(MatchMethod.STR, MapStore.Output.STR);

        int readers = 3;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lookups = new AtomicLong();
        CountDownLatch started = new CountDownLatch(readers);
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        List<Future<String>> results = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            results.add(pool.submit(() -> {
                started.countDown();
                long last = -1;
                int n = 0;
                while (!stop.get()) {
                    Object v = counter.get("counter", null);
                    if (v == null) {
                        return "counter vanished";
                    }
                    long seen = Long.parseLong((String) v);
                    if (seen < last) {
                        return "counter went back from " + last + " to " + seen;
                    }
                    last = seen;
                    if (!"value123".equals(str.get("/path/123", null))) {
                        return "lost /path/123";
                    }
                    if (!"value19999".equals(beg.get("/path/19999/x", null))) {
                        return "bad prefix match";
                    }
                    if (++n % 64 == 0) {
                        // every entry of one snapshot: both "dup" entries always carry the same value
                        String first = null;
                        for (Map.Entry<String, String> e : map.entries()) {
                            if (e.getKey().equals("dup")) {
                                if (first == null) {
                                    first = e.getValue();
                                } else if (!first.equals(e.getValue())) {
                                    return "torn snapshot: dup=" + first + " and " + e.getValue();
                                }
                            }
                        }
                    }
                    lookups.incrementAndGet();
                }
                return "ok";
            }));
        }
        assertTrue(started.await(10, TimeUnit.SECONDS));
        for (int i = 1; i <= 40; i++) {
            map.set("counter", Integer.toString(i));
            map.set("dup", Integer.toString(i)); // both entries at once
        }
        stop.set(true);
        for (Future<String> f : results) {
            assertEquals("ok", f.get(30, TimeUnit.SECONDS));
        }
        pool.shutdownNow();
        assertTrue(lookups.get() > 0);
        assertEquals("40", counter.get("counter", null));
        assertNotNull(beg.get("/path/5/", null));
    }

    /** A file without end is refused at once, never read until the heap is full. */
    @Test
    void aDeviceOrAFileTooLargeIsRefused() throws Exception {
        PatternException device = assertThrows(PatternException.class, () -> new Maps(home).map("/dev/zero"));
        assertTrue(device.getMessage().contains("not a regular file"), device.getMessage());
        assertThrows(PatternException.class, () -> new Maps(home).acl("/dev/zero"));
        Path big = home.resolve("big.map");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(PatternFiles.MAX_FILE_BYTES + 1L);
        }
        PatternException tooLarge = assertThrows(PatternException.class, () -> new Maps(home).map("big.map"));
        assertTrue(tooLarge.getMessage().endsWith("larger than 256 MiB"), tooLarge.getMessage());
    }
}
