package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** The {@code Regex} class from real scripts: HAProxy's calls, PCRE's syntax, its limits and errors. */
class RegexClassTest {

    private static final String SCRIPT = """
            -- compiled once, in the body, as HAProxy's documentation advises
            local ok, api = Regex.new("^/api/(v[0-9]+)/(\\\\w+)", true)
            assert(ok, api)

            core.register_fetches("api", function(_, path) return api:match(path) end)
            core.register_fetches("new", function(_, ...) return Regex.new(...) end)
            local function compiled(pattern, cs)
              local ok, re = Regex.new(pattern, cs)
              if not ok then error(re) end
              return re
            end
            core.register_fetches("exec", function(_, pattern, cs, subject)
              return compiled(pattern, cs):exec(subject)
            end)
            core.register_fetches("match", function(_, pattern, cs, subject)
              return compiled(pattern, cs):match(subject)
            end)
            core.register_fetches("exec_args", function(_, ...) return api:exec(...) end)
            core.register_fetches("match_args", function(_, ...) return api:match(...) end)
            core.register_fetches("exec_dot", function(_, x) return api.exec(x) end)
            """;

    @TempDir
    Path dir;

    private final EventLoop loop = new DefaultEventLoop();
    private ScriptRunner lua;

    @BeforeEach
    void load() throws Exception {
        lua = new ScriptRunner(dir, loop, SCRIPT);
    }

    @AfterEach
    void stop() throws Exception {
        if (lua != null) {
            lua.stop();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** A Lua string of these chars as bytes (each char must be below 256). */
    private static LuaValue bytes(String latin1) {
        return LuaValue.valueOf(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String latin1(LuaValue v) {
        LuaString s = v.checkstring();
        return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
    }

    private boolean exec(String pattern, boolean caseSensitive, String subject) throws Exception {
        LuaValue r = lua.values("exec", bytes(pattern), LuaValue.valueOf(caseSensitive), bytes(subject)).arg1();
        assertTrue(r.isboolean(), () -> "exec returns a boolean, not " + r);
        return r.toboolean();
    }

    private boolean exec(String pattern, String subject) throws Exception {
        return exec(pattern, true, subject);
    }

    /** The captures, or null when there is no match (then the table must be empty). */
    private static List<String> captures(Varargs r) {
        assertEquals(2, r.narg(), "match returns a boolean and a table");
        LuaTable table = r.arg(2).checktable();
        if (!r.arg1().toboolean()) {
            assertEquals(0, table.length(), "no captures without a match");
            assertTrue(table.next(LuaValue.NIL).arg1().isnil());
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= table.length(); i++) {
            out.add(latin1(table.get(i)));
        }
        return out;
    }

    private List<String> match(String pattern, String subject) throws Exception {
        return captures(lua.values("match", bytes(pattern), LuaValue.TRUE, bytes(subject)));
    }

    /** The message of a pattern that does not compile (Regex.new returns false, message). */
    private String refused(String pattern) throws Exception {
        Varargs r = lua.values("new", bytes(pattern), LuaValue.TRUE);
        assertEquals(LuaValue.FALSE, r.arg1(), () -> "'" + pattern + "' should not compile");
        String message = latin1(r.arg(2));
        assertTrue(message.startsWith("regex '" + pattern + "' is invalid (error="), message);
        return message;
    }

    @Test
    void aRegexCompiledAtLoadTimeSearchesAndCaptures() throws Exception {
        assertEquals(List.of("/api/v2/users", "v2", "users"), captures(lua.values("api", LuaValue.valueOf("/api/v2/users/7"))));
        assertEquals(null, captures(lua.values("api", LuaValue.valueOf("/web/v2/users"))));
        Varargs compiled = lua.values("new", LuaValue.valueOf("x"), LuaValue.FALSE);
        assertEquals(LuaValue.TRUE, compiled.arg1());
        assertTrue(compiled.arg(2).istable(), "a regex object is a table, as in HAProxy");
    }

    @Test
    void execSearchesAnywhereAndHonoursCase() throws Exception {
        assertTrue(exec("b+", "abbbc"));
        assertFalse(exec("^b", "abc"));
        assertTrue(exec("hello", false, "Say HeLLo"));
        assertFalse(exec("hello", true, "Say HeLLo"));
        assertTrue(exec("(?i)hello", true, "Say HeLLo"));
        // case folding is ASCII only, as with PCRE's default tables
        assertFalse(exec("\u00e9", false, "\u00c9"));
    }

    @Test
    void capturesStopAtTheFirstGroupThatDidNotTakePart() throws Exception {
        assertEquals(List.of("b"), match("(a)|(b)", "b"));
        assertEquals(List.of("y"), match("(x)?(y)", "y"));
        assertEquals(List.of("xy", "x", "y"), match("(x)?(y)", "xy"));
        assertEquals(List.of("ab", "a", "", "b"), match("(a)()(b)", "ab"));
    }

    @Test
    void atMostTwentyCaptures() throws Exception {
        String pattern = "(.)".repeat(25);
        String subject = "abcdefghijklmnopqrstuvwxy";
        List<String> caps = match(pattern, subject);
        assertEquals(20, caps.size());
        assertEquals(subject, caps.get(0));
        assertEquals("a", caps.get(1));
        assertEquals("s", caps.get(19));
    }

    @Test
    void subjectsAndPatternsAreBytes() throws Exception {
        String eAcuteUtf8 = "\u00c3\u00a9"; // "é" in UTF-8, as two bytes
        assertFalse(exec("^.$", eAcuteUtf8));
        assertTrue(exec("^..$", eAcuteUtf8));
        assertEquals(List.of("\u00c3"), match(".", eAcuteUtf8));
        assertTrue(exec(eAcuteUtf8, "caf" + eAcuteUtf8));
        assertTrue(exec("a\\x00b", "a\u0000b"));
        assertTrue(exec("^[\\x80-\\xff]+$", "\u0080\u00ff"));
        assertTrue(lua.values("exec_args", LuaValue.valueOf(12)).arg1().isboolean(), "a number subject is a string");
    }

    @Test
    void onlyLineFeedEndsALine() throws Exception {
        assertTrue(exec("^a$", "a\n"));
        assertFalse(exec("^a$", "a\n\n"));
        assertFalse(exec("a$", "a\r"));
        assertTrue(exec("a.b", "a\rb"));
        assertTrue(exec("a.b", "a\u0085b"));
        assertFalse(exec("a.b", "a\nb"));
        assertTrue(exec("(?s)a.b", "a\nb"));
        assertTrue(exec("(?m)^b$", "a\nb\nc"));
    }

    @Test
    void characterClassesAreReadAsPcreReadsThem() throws Exception {
        assertEquals(List.of("123"), match("[[:digit:]]+", "abc123"));
        assertEquals(List.of("1"), match("[[:^alpha:]]", "ab1"));
        assertTrue(exec("^[[:space:]]$", "\u000b"));
        assertEquals(List.of("_-"), match("[[:punct:]]+", "ab_-c"));
        assertEquals(List.of("Ab"), match("[[:alpha:]]+", "12Ab3"));
        assertEquals(List.of("]a]"), match("[]a]+", "x]a]y"));
        assertEquals(List.of("b"), match("[^]a]", "]ab"));
        assertTrue(exec("^[a&&b]$", "&"));
        assertTrue(exec("^[a&&b]$", "a"));
        assertFalse(exec("^[a&&b]$", "c"));
        assertTrue(exec("^[[]$", "["));
        assertTrue(exec("^[\\b]$", "\b"));
        assertTrue(exec("^[\\101-\\103]+$", "ABC"));
        assertTrue(exec("^[\\Q]\\E]$", "]"));
        assertTrue(exec("[[:<:]]word[[:>:]]", "a word here"));
        assertFalse(exec("[[:<:]]word[[:>:]]", "swordfish"));
    }

    @Test
    void bracesThatAreNoQuantifierAreLiterals() throws Exception {
        assertTrue(exec("^a{$", "a{"));
        assertTrue(exec("^x{,3}$", "x{,3}"));
        assertTrue(exec("^/api/{id}$", "/api/{id}"));
        assertTrue(exec("^a{2}$", "aa"));
        assertFalse(exec("^a{2}$", "a"));
        assertTrue(exec("^a{2,}$", "aaaa"));
        assertTrue(exec("^a{1,2}b$", "aab"));
    }

    @Test
    void pcreEscapes() throws Exception {
        assertTrue(exec("^\\x41\\x{42}\\103$", "ABC"));
        assertTrue(exec("^\\x4$", "\u0004"));
        assertTrue(exec("^\\cA\\ca$", "\u0001\u0001"));
        assertTrue(exec("^\\0\\07$", "\u0000\u0007"));
        assertTrue(exec("^\\o{101}$", "A"));
        assertTrue(exec("^x\\12$", "x\n"), "\\12 without 12 groups is octal 012");
        assertTrue(exec("^(a)\\1$", "aa"));
        assertEquals(List.of("ab"), match("\\N+", "ab\ncd"));
        assertTrue(exec("^\\Qa.b\\E$", "a.b"));
        assertFalse(exec("^\\Qa.b\\E$", "axb"));
        assertTrue(exec("^a\\.b\\E$", "a.b"));
    }

    @Test
    void namedAndRelativeReferences() throws Exception {
        assertTrue(exec("^(?P<year>\\d{4})-(?P=year)$", "2024-2024"));
        assertFalse(exec("^(?P<year>\\d{4})-(?P=year)$", "2024-2025"));
        assertTrue(exec("^(?<my_name>ab)\\k<my_name>$", "abab"));
        assertTrue(exec("^(?'q'x)\\k{q}\\k'q'\\g{q}$", "xxxx"));
        assertTrue(exec("^(a)(b)\\g{-1}\\g1\\g{1}$", "abbaa"));
        assertEquals(List.of("abab", "ab"), match("(?<Zed_>ab)\\k<Zed_>", "abab"));
    }

    @Test
    void commentsAndExtendedMode() throws Exception {
        assertTrue(exec("^(?#a comment)abc$", "abc"));
        assertTrue(exec("(?x) ^ a b c # a comment with [ and (\n $", "abc"));
        assertTrue(exec("(?x)^[ ]$", " "));
        assertTrue(exec("(?x)^[#]$", "#"));
        assertTrue(exec("(?x)^a\\ b$", "a b"));
        assertTrue(exec("^(?x: a b )c d$", "abc d"));
        assertFalse(exec("^(?x: a b )c d$", "abcd"));
    }

    @Test
    void whatDoesNotCompileSaysWhy() throws Exception {
        for (String bad : new String[] {"(", "a)", "[abc", "*a", "a{3,2}", "\\", "[]", "\\777", "\\x{100}", "\\K",
                "[[:foo:]]", "[:alpha:]", "[[.a.]]", "(?P>n)", "\\g<n>"}) {
            refused(bad);
        }
        for (String unsupported : new String[] {"(?U)a", "(?J)a", "(?n)a", "(?xx)a", "(*SKIP)a", "(?R)", "(?1)",
                "(?(1)a|b)", "(?|a)", "(?C1)a", "(?&n)", "(?^)a"}) {
            String message = refused(unsupported);
            assertTrue(message.contains("not supported by luagate"), message);
        }
        String offset = refused("ab(?U)");
        assertTrue(offset.endsWith(", erroffset=4)"), offset);
        String javaError = refused("abc\\K");
        assertTrue(javaError.contains("erroffset=3"), javaError);
    }

    @Test
    void argumentsAreChecked() throws Exception {
        String noFlag = lua.error("new", LuaValue.valueOf("a"));
        assertTrue(noFlag.contains("bad argument #2 to 'new' (boolean expected, got no value)"), noFlag);
        String numberFlag = lua.error("new", LuaValue.valueOf("a"), LuaValue.valueOf(1));
        assertTrue(numberFlag.contains("bad argument #2 to 'new' (boolean expected, got number)"), numberFlag);
        String stringFlag = lua.error("new", LuaValue.valueOf("a"), LuaValue.valueOf("true"));
        assertTrue(stringFlag.contains("(boolean expected, got string)"), stringFlag);
        String noPattern = lua.error("new", LuaValue.NIL, LuaValue.TRUE);
        assertTrue(noPattern.contains("bad argument #1 to 'new' (string expected, got nil)"), noPattern);
        String noSubject = lua.error("exec_args");
        assertTrue(noSubject.contains("bad argument #1 to 'exec' (string expected, got no value)"), noSubject);
        String tableSubject = lua.error("match_args", new LuaTable());
        assertTrue(tableSubject.contains("bad argument #1 to 'match' (string expected, got table)"), tableSubject);
        String noSelf = lua.error("exec_dot", LuaValue.valueOf("x"));
        assertTrue(noSelf.contains("bad argument #1 to 'exec' (Regex expected, got string"), noSelf);
    }

    @Test
    void runawayBacktrackingCountsAsNoMatch() throws Exception {
        assertTrue(exec("(a*)*b", "aaab"));
        long started = System.nanoTime();
        // exponential backtracking: stopped by the match limit (10 million character reads)
        assertFalse(exec("(a*)*b", "a".repeat(5000)));
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "the match limit stops it");
        // Java recurses once per repetition of a group with alternatives: a long subject exhausts
        // the stack, which counts as no match too, and the state goes on working
        assertFalse(exec("^(a|b)*c$", "ab".repeat(200_000)));
        assertTrue(exec("^(a|b)*c$", "abc"));
        assertTrue(exec("^[ab]*c$", "ab".repeat(200_000) + "c"), "a class repeats without recursion");
    }
}
