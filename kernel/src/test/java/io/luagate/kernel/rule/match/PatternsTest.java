package io.luagate.kernel.rule.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.http.AsciiFold;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every match method against HAProxy 2.6's semantics. Rows marked "(haproxy)" were checked against
 * the real HAProxy 2.6.12 ({@code acl ... -m METHOD patterns} on a header sample).
 */
class PatternsTest {

    static List<Pattern> patterns(String... texts) {
        List<Pattern> list = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            list.add(new Pattern(texts[i], "test:" + (i + 1)));
        }
        return list;
    }

    static boolean matches(MatchMethod method, boolean ignoreCase, Object sample, String... texts) throws PatternException {
        return Patterns.compile(method, patterns(texts), ignoreCase).matches(sample);
    }

    /** method, -i, patterns (space-separated; "" for none), sample, expected. */
    static Stream<Arguments> strings() {
        return Stream.of(
                Arguments.of("str", false, "abc def", "abc", true),
                Arguments.of("str", false, "abc", "ABC", false),
                Arguments.of("str", true, "abc", "ABC", true),
                Arguments.of("str", true, "AbC", "aBc", true),
                Arguments.of("str", false, "abc", "abcd", false),
                Arguments.of("str", false, "abc", "", false),
                Arguments.of("str", true, "é", "É", false), // -i folds A-Z only, as C's tolower
                Arguments.of("beg", false, "/api /static", "/api/v1", true),
                Arguments.of("beg", false, "/api", "/ap", false),
                Arguments.of("beg", false, "/API", "/api/x", false),
                Arguments.of("beg", true, "/API", "/api/x", true),
                Arguments.of("beg", false, "a ab abc", "abd", true),
                Arguments.of("end", false, ".jpg .png", "/a/b.png", true),
                Arguments.of("end", false, ".jpg", "/a/b.jpeg", false),
                Arguments.of("end", true, ".JPG", "/a/b.jpg", true),
                Arguments.of("end", false, "longer-than-sample", "sample", false),
                Arguments.of("sub", false, "bc", "abcd", true),
                Arguments.of("sub", true, "BC", "xbcx", true), // (haproxy)
                Arguments.of("sub", true, "BC", "XBCX", true), // (haproxy)
                Arguments.of("sub", true, "BC", "xb", false), // (haproxy)
                Arguments.of("sub", false, "he she his hers", "ushers", true),
                Arguments.of("sub", false, "aab", "aaab", true),
                Arguments.of("sub", false, "abcabd", "abcabcabd", true),
                Arguments.of("sub", false, "xyz", "abcabcabd", false),
                Arguments.of("reg", false, "^ab.c$", "abxc", true),
                Arguments.of("reg", true, "^ab.c$", "ABxC", true), // (haproxy)
                Arguments.of("reg", false, "^ab.c$", "ABxC", false),
                Arguments.of("reg", false, "^ab.c$", "abxcd", false), // (haproxy)
                Arguments.of("reg", false, "b+", "abbbc", true), // found anywhere
                Arguments.of("reg", false, "a.b", "a\nb", false), // '.' stops at LF
                // dir: slash-delimited (doc 7.1.3), '?' also ends a segment; delimiters around the pattern ignored
                Arguments.of("dir", false, "/a/b/", "/x/a/b/y", true), // (haproxy)
                Arguments.of("dir", false, "/a/b/", "/a/b", true), // (haproxy)
                Arguments.of("dir", false, "/a/b/", "a/b?x", true), // (haproxy)
                Arguments.of("dir", false, "/a/b/", "/x/a/bc", false), // (haproxy)
                Arguments.of("dir", false, "/a/b/", "/xa/b", false), // (haproxy)
                Arguments.of("dir", false, "images", "/static/images/logo.png", true),
                Arguments.of("dir", false, "images", "/static/images.old/logo.png", false),
                Arguments.of("dir", false, "b", "/a.b/c", false),
                Arguments.of("dir", true, "IMAGES", "/x/images", true),
                Arguments.of("dir", false, "/", "/foo/", false), // (haproxy): only delimiters never matches
                Arguments.of("dir", false, "/", "/", false), // (haproxy)
                // dom: '.', ':', '/' and '?' delimit
                Arguments.of("dom", false, "example.com", "www.example.com", true),
                Arguments.of("dom", false, "example.com", "www.example.com:80", true),
                Arguments.of("dom", false, "example.com", "www.example.com.au", true),
                Arguments.of("dom", false, "example.com", "wwwexample.com", false),
                Arguments.of("dom", false, "example.com", "www.example.co", false),
                Arguments.of("dom", false, ".Example.COM.", "example.com", false), // (haproxy)
                Arguments.of("dom", true, ".Example.COM.", "example.com", true), // (haproxy)
                Arguments.of("dom", true, ".Example.COM.", "a/example.com?x", true), // (haproxy)
                Arguments.of("dom", true, ".Example.COM.", "wwwexample.com", false), // (haproxy)
                Arguments.of("dom", false, "com", "a.b.com", true),
                Arguments.of("dom", false, "b", "a.bb.b", true),
                Arguments.of("dom", false, "b", "a.bb.c", false));
    }

    @ParameterizedTest(name = "{0} -i={1} [{2}] on \"{3}\" -> {4}")
    @MethodSource("strings")
    void stringMethods(String method, boolean ignoreCase, String patterns, String sample, boolean expected) throws PatternException {
        String[] texts = patterns.isEmpty() ? new String[0] : patterns.split(" ");
        assertEquals(expected, matches(MatchMethod.parse(method), ignoreCase, sample, texts));
    }

    @Test
    void emptyPatterns() throws PatternException {
        assertTrue(matches(MatchMethod.STR, false, "", ""));
        assertTrue(matches(MatchMethod.BEG, false, "anything", ""));
        assertTrue(matches(MatchMethod.END, false, "anything", ""));
        assertFalse(matches(MatchMethod.SUB, false, "anything", ""));
        assertFalse(matches(MatchMethod.DIR, false, "a", ""));
        assertFalse(matches(MatchMethod.STR, false, "a"));
    }

    @Test
    void samplesAreCastToStringAsHaproxyDoes() throws Exception {
        assertTrue(matches(MatchMethod.STR, false, 12L, "12"));
        assertTrue(matches(MatchMethod.STR, false, -3L, "-3"));
        assertTrue(matches(MatchMethod.STR, false, true, "1"));
        assertTrue(matches(MatchMethod.STR, false, false, "0"));
        assertTrue(matches(MatchMethod.STR, false, InetAddress.getByName("10.0.0.1"), "10.0.0.1"));
        assertTrue(matches(MatchMethod.STR, false, InetAddress.getByName("::1"), "::1"));
        assertTrue(matches(MatchMethod.BEG, false, InetAddress.getByName("2001:db8::1"), "2001:db8::"));
        // binary stops at its first NUL byte (HAProxy's c_bin2str)
        assertTrue(matches(MatchMethod.STR, false, "ab\0cd".getBytes(StandardCharsets.ISO_8859_1), "ab"));
        assertTrue(matches(MatchMethod.SUB, false, "xyz".getBytes(StandardCharsets.ISO_8859_1), "y"));
    }

    /** Patterns (space-separated, as ACL words), sample, expected. */
    static Stream<Arguments> integers() {
        return Stream.of(
                Arguments.of("12", "12", true), // (haproxy)
                Arguments.of("12", "12abc", true), // (haproxy): a string's leading integer
                Arguments.of("12", "12.5", true), // (haproxy)
                Arguments.of("12", "+12", true), // (haproxy)
                Arguments.of("12", "013", false), // (haproxy)
                Arguments.of("0", "abc", true), // (haproxy): no digits reads as 0
                Arguments.of("0", "", false), // an empty string has no integer value
                Arguments.of("10:20", "10", true),
                Arguments.of("10:20", "20", true),
                Arguments.of("10:20", "21", false),
                Arguments.of("10-20", "15", true), // '-' works as ':'
                Arguments.of(":20", "-1000", true),
                Arguments.of(":20", "21", false),
                Arguments.of("10:", "10", true),
                Arguments.of("10:", "9", false),
                Arguments.of("-5", "5", true), // (haproxy): "-5" is the range ":5"
                Arguments.of("-5", "-100", true), // (haproxy)
                Arguments.of("-5", "6", false), // (haproxy)
                Arguments.of(":-5", "-5", true),
                Arguments.of(":-5", "-4", false),
                Arguments.of("1 5 9", "5", true),
                Arguments.of("1 5 9", "6", false),
                Arguments.of("eq 5", "5", true),
                Arguments.of("gt 5", "5", false),
                Arguments.of("gt 5", "6", true),
                Arguments.of("ge 5", "5", true),
                Arguments.of("ge 5", "4", false),
                Arguments.of("lt 5", "4", true),
                Arguments.of("lt 5", "5", false),
                Arguments.of("le 5", "5", true),
                Arguments.of("le 5", "6", false),
                Arguments.of("lt 0", "-1", true), // doc 7.1.2: negative Content-Length
                Arguments.of("lt 0", "0", false),
                Arguments.of("gt 5.7", "5", false), // (haproxy): the part before '.' is used
                Arguments.of("gt 5.7", "6", true), // (haproxy)
                Arguments.of("lt -5", "5", true), // (haproxy): a value with '-' is taken as it is
                Arguments.of("lt -5", "6", false), // (haproxy)
                Arguments.of("lt -5", "-100", true), // (haproxy)
                Arguments.of("gt 10 eq 3", "3", true), // an operator applies until the next one
                Arguments.of("gt 10 eq 3", "11", true),
                Arguments.of("gt 10 eq 3", "5", false),
                Arguments.of("gt 10 20", "15", true),
                Arguments.of("ne 5", "5", true), // (haproxy): "ne" parses but compares for equality
                Arguments.of("ne 5", "6", false)); // (haproxy)
    }

    @ParameterizedTest(name = "int [{0}] on \"{1}\" -> {2}")
    @MethodSource("integers")
    void integerMatching(String patterns, String sample, boolean expected) throws PatternException {
        assertEquals(expected, matches(MatchMethod.INT, false, sample, patterns.split(" ")));
    }

    @Test
    void integerSamplesOfEveryType() throws Exception {
        assertTrue(matches(MatchMethod.INT, false, 5L, "5"));
        assertTrue(matches(MatchMethod.INT, false, true, "1"));
        assertTrue(matches(MatchMethod.INT, false, false, "0"));
        assertTrue(matches(MatchMethod.INT, false, InetAddress.getByName("0.0.1.2"), "258")); // an IPv4 address is its value
        assertFalse(matches(MatchMethod.INT, false, InetAddress.getByName("::1"), ":1000000")); // no integer for IPv6
        assertFalse(matches(MatchMethod.INT, false, new byte[] {1}, ":1000000")); // nor for binary
        assertTrue(matches(MatchMethod.INT, false, Long.MAX_VALUE, "9223372036854775807"));
        assertTrue(matches(MatchMethod.INT, false, "99999999999999999999", "9223372036854775807")); // saturates
    }

    @Test
    void lengths() throws Exception {
        assertTrue(matches(MatchMethod.LEN, false, "abc", "3")); // (haproxy)
        assertFalse(matches(MatchMethod.LEN, false, "abcd", "3")); // (haproxy)
        assertTrue(matches(MatchMethod.LEN, false, "", "0"));
        assertTrue(matches(MatchMethod.LEN, false, "abcd", "gt", "3"));
        assertTrue(matches(MatchMethod.LEN, false, "a", ":2"));
        assertTrue(matches(MatchMethod.LEN, false, 12345L, "5"));
        assertTrue(matches(MatchMethod.LEN, false, "ab\0cd".getBytes(StandardCharsets.ISO_8859_1), "2"));
    }

    @Test
    void booleans() throws Exception {
        assertTrue(matches(MatchMethod.BOOL, false, true));
        assertFalse(matches(MatchMethod.BOOL, false, false));
        assertTrue(matches(MatchMethod.BOOL, false, 2L));
        assertFalse(matches(MatchMethod.BOOL, false, 0L));
        assertTrue(matches(MatchMethod.BOOL, false, -1L));
        assertTrue(matches(MatchMethod.BOOL, false, "1")); // (haproxy)
        assertTrue(matches(MatchMethod.BOOL, false, "2x")); // (haproxy)
        assertFalse(matches(MatchMethod.BOOL, false, "0")); // (haproxy)
        assertFalse(matches(MatchMethod.BOOL, false, "abc")); // (haproxy)
        assertFalse(matches(MatchMethod.BOOL, false, "")); // (haproxy)
        assertTrue(matches(MatchMethod.BOOL, false, true, "ignored", "patterns"));
    }

    @Test
    void found() throws Exception {
        assertTrue(matches(MatchMethod.FOUND, false, ""));
        assertTrue(matches(MatchMethod.FOUND, false, false));
        assertTrue(matches(MatchMethod.FOUND, false, new byte[0]));
        assertTrue(matches(MatchMethod.FOUND, false, 0L, "whatever"));
    }

    @Test
    void binary() throws Exception {
        assertTrue(matches(MatchMethod.BIN, false, "ABC", "414243")); // (haproxy)
        assertFalse(matches(MatchMethod.BIN, false, "abc", "414243")); // (haproxy)
        assertTrue(matches(MatchMethod.BIN, false, "Hello\n".getBytes(StandardCharsets.ISO_8859_1), "48656c6c6f0a")); // doc 7.1.5
        assertTrue(matches(MatchMethod.BIN, false, "Hello\n".getBytes(StandardCharsets.ISO_8859_1), "48656C6C6F0A"));
        assertFalse(matches(MatchMethod.BIN, false, "Hello".getBytes(StandardCharsets.ISO_8859_1), "48656c6c6f0a"));
        assertTrue(matches(MatchMethod.BIN, false, new byte[] {0, 1, 0}, "000100"));
        assertTrue(matches(MatchMethod.BIN, false, 1L, "0000000000000001")); // an integer is 8 bytes
        assertTrue(matches(MatchMethod.BIN, false, InetAddress.getByName("10.0.0.1"), "0a000001"));
        assertTrue(matches(MatchMethod.BIN, false, new byte[0], ""));
    }

    /** method, patterns, the message HAProxy gives. */
    static Stream<Arguments> badPatterns() {
        return Stream.of(
                Arguments.of("int", "abc", "'abc' is not a number"), // (haproxy)
                Arguments.of("int", "eq abc", "'abc' is not a number"), // (haproxy)
                Arguments.of("int", "5:3", "'5:3' is not a valid number range"), // (haproxy)
                Arguments.of("int", "gt abc", "'abc' is neither a number nor a supported operator"), // (haproxy)
                Arguments.of("int", ":", "':' is not a valid number range"),
                Arguments.of("int", "1:x", "'1:x' is not a valid number range"),
                Arguments.of("int", "99999999999999999999", "'99999999999999999999' is not a number"),
                Arguments.of("len", "x", "'x' is not a number"),
                Arguments.of("ip", "1.2.3.4/33", "'1.2.3.4/33' is not a valid IPv4 or IPv6 address"), // (haproxy)
                Arguments.of("ip", "example.com", "'example.com' is not a valid IPv4 or IPv6 address"),
                Arguments.of("ip", "0x0b.1", "'0x0b.1' is not a valid IPv4 or IPv6 address"), // (haproxy)
                Arguments.of("ip", "::1/129", "'::1/129' is not a valid IPv4 or IPv6 address"),
                Arguments.of("ip", "1.2.3.4/", "'1.2.3.4/' is not a valid IPv4 or IPv6 address"),
                Arguments.of("ip", "1:2:3:4:5:6:7:8:9", "'1:2:3:4:5:6:7:8:9' is not a valid IPv4 or IPv6 address"),
                Arguments.of("bin", "4g", "an hex digit is expected (found 'g')"), // (haproxy)
                Arguments.of("bin", "414", "an even number of hex digit is expected"), // (haproxy)
                Arguments.of("reg", "ab(", "regex 'ab(' is invalid (Unclosed group, offset 3)"));
    }

    @ParameterizedTest(name = "{0} [{1}] -> {2}")
    @MethodSource("badPatterns")
    void badPatternsNameTheirOrigin(String method, String patterns, String message) {
        String[] texts = patterns.split(" ");
        PatternException e = assertThrows(PatternException.class,
                () -> Patterns.compile(MatchMethod.parse(method), patterns(texts), false));
        assertEquals(message, e.getMessage());
        assertEquals("test:" + texts.length, e.origin());
    }

    @Test
    void theOriginIsThatOfTheBadPattern() {
        List<Pattern> list = List.of(new Pattern("10.0.0.0/8", "ips.lst:1"), new Pattern("# not a comment", "ips.lst:7"));
        PatternException e = assertThrows(PatternException.class, () -> Patterns.compile(MatchMethod.IP, list, false));
        assertEquals("ips.lst:7", e.origin());
    }

    @Test
    void operatorsAreOnlyWordsOfAnAcl() throws PatternException {
        // in a pattern file, "gt" is just a bad integer
        PatternException e = assertThrows(PatternException.class,
                () -> Patterns.index(MatchMethod.INT, patterns("gt", "5"), false, Patterns.Source.ACL_FILE));
        assertEquals("'gt' is not a number", e.getMessage());
        // for string methods, "eq" is a pattern like any other
        assertTrue(matches(MatchMethod.STR, false, "eq", "eq"));
    }

    @Test
    void indexPositionsFollowHaproxysPrecedence() throws PatternException {
        // beg without -i is a prefix tree: the longest prefix, the first of equal ones
        assertEquals(1, Patterns.index(MatchMethod.BEG, patterns("/api", "/api/v1", "/", "/api/v1"), false,
                Patterns.Source.MAP_KEYS).find("/api/v1/x"));
        // with -i HAProxy uses a list: the first in order
        assertEquals(0, Patterns.index(MatchMethod.BEG, patterns("/api", "/api/v1"), true,
                Patterns.Source.MAP_KEYS).find("/API/V1/x"));
        // lists: the first matching pattern, not the longest
        assertEquals(0, Patterns.index(MatchMethod.END, patterns(".com", "example.com"), false,
                Patterns.Source.MAP_KEYS).find("www.example.com"));
        assertEquals(1, Patterns.index(MatchMethod.SUB, patterns("zz", "cd", "bc"), false,
                Patterns.Source.MAP_KEYS).find("abcd"));
        assertEquals(2, Patterns.index(MatchMethod.REG, patterns("^x", "y$", "b", "c"), false,
                Patterns.Source.MAP_KEYS).find("abc"));
        assertEquals(0, Patterns.index(MatchMethod.STR, patterns("abc", "abc"), false,
                Patterns.Source.MAP_KEYS).find("abc"));
        assertEquals(0, Patterns.index(MatchMethod.STR, patterns("ABC", "abc"), true,
                Patterns.Source.MAP_KEYS).find("Abc"));
        assertEquals(PatternIndex.NO_MATCH, Patterns.index(MatchMethod.STR, patterns("a"), false,
                Patterns.Source.MAP_KEYS).find("b"));
        assertEquals(PatternIndex.NO_SAMPLE, Patterns.index(MatchMethod.IP, patterns("10.0.0.0/8"), false,
                Patterns.Source.MAP_KEYS).find("not an address"));
        assertEquals(PatternIndex.NO_SAMPLE, Patterns.index(MatchMethod.INT, patterns("1"), false,
                Patterns.Source.MAP_KEYS).find(""));
    }

    @Test
    void manyPatterns() throws PatternException {
        String[] words = new String[5000];
        for (int i = 0; i < words.length; i++) {
            words[i] = "/p" + i + "/";
        }
        Matcher beg = Patterns.compile(MatchMethod.BEG, patterns(words), false);
        Matcher sub = Patterns.compile(MatchMethod.SUB, patterns(words), true);
        Matcher str = Patterns.compile(MatchMethod.STR, patterns(words), true);
        assertTrue(beg.matches("/p4999/x"));
        assertFalse(beg.matches("/p5000/x"));
        assertTrue(sub.matches("/x/P1234/y"));
        assertTrue(str.matches("/P17/"));
        assertFalse(str.matches("/P17"));
        PatternIndex index = Patterns.index(MatchMethod.SUB, patterns(words), false, Patterns.Source.MAP_KEYS);
        assertEquals(12, index.find("/p123/p12/"));
    }

    /** The tries and the hash table against HAProxy's semantics written naively, on random data. */
    @Test
    void indexesAgreeWithNaiveMatching() throws PatternException {
        java.util.Random random = new java.util.Random(42);
        String alphabet = "abAB/";
        for (int round = 0; round < 300; round++) {
            boolean ignoreCase = random.nextBoolean();
            String[] words = new String[1 + random.nextInt(12)];
            for (int i = 0; i < words.length; i++) {
                words[i] = randomText(random, alphabet, random.nextInt(5));
            }
            List<Pattern> list = patterns(words);
            PatternIndex str = Patterns.index(MatchMethod.STR, list, ignoreCase, Patterns.Source.MAP_KEYS);
            PatternIndex beg = Patterns.index(MatchMethod.BEG, list, ignoreCase, Patterns.Source.MAP_KEYS);
            PatternIndex end = Patterns.index(MatchMethod.END, list, ignoreCase, Patterns.Source.MAP_KEYS);
            PatternIndex sub = Patterns.index(MatchMethod.SUB, list, ignoreCase, Patterns.Source.MAP_KEYS);
            for (int k = 0; k < 30; k++) {
                String s = randomText(random, alphabet, random.nextInt(9));
                String fs = ignoreCase ? AsciiFold.fold(s) : s;
                int naiveStr = -1;
                int naiveBeg = -1;
                int naiveEnd = -1;
                int naiveSub = -1;
                for (int i = 0; i < words.length; i++) {
                    String w = ignoreCase ? AsciiFold.fold(words[i]) : words[i];
                    if (naiveStr < 0 && fs.equals(w)) {
                        naiveStr = i;
                    }
                    if (fs.startsWith(w)) {
                        if (ignoreCase) {
                            naiveBeg = naiveBeg < 0 ? i : naiveBeg; // a list: the first
                        } else if (naiveBeg < 0 || w.length() > words[naiveBeg].length()) {
                            naiveBeg = i; // a tree: the longest, the first of equals
                        }
                    }
                    if (naiveEnd < 0 && fs.endsWith(w)) {
                        naiveEnd = i;
                    }
                    if (naiveSub < 0 && !w.isEmpty() && fs.contains(w)) {
                        naiveSub = i;
                    }
                }
                String what = List.of(words) + " -i=" + ignoreCase + " on '" + s + "'";
                assertEquals(naiveStr, str.find(s), "str " + what);
                assertEquals(naiveBeg, beg.find(s), "beg " + what);
                assertEquals(naiveEnd, end.find(s), "end " + what);
                assertEquals(naiveSub, sub.find(s), "sub " + what);
            }
        }
    }

    private static String randomText(java.util.Random random, String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Test
    void anyOf() throws PatternException {
        Matcher a = Patterns.compile(MatchMethod.STR, patterns("a"), false);
        Matcher b = Patterns.compile(MatchMethod.STR, patterns("B"), true);
        Matcher both = Patterns.anyOf(List.of(a, b));
        assertTrue(both.matches("a"));
        assertTrue(both.matches("b"));
        assertFalse(both.matches("A"));
        assertFalse(Patterns.anyOf(List.of()).matches("a"));
        assertEquals(Arrays.asList(true, false), Arrays.asList(Patterns.anyOf(List.of(a)).matches("a"),
                Patterns.anyOf(List.of(a)).matches("b")));
    }
}
