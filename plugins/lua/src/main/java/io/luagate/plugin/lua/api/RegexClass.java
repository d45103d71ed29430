package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.lib.LuaArgs;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * HAProxy's {@code Regex} global class: {@code Regex.new(pattern, case_sensitive)} compiles once
 * and returns {@code true, regex} or {@code false, message}; {@code re:exec(s)} says whether the
 * pattern occurs in {@code s}; {@code re:match(s)} also returns the captures (the whole match, then
 * the groups, at most 20 in all, stopping at the first group that took no part in the match, as
 * HAProxy's {@code hlua_regex_match} does).
 *
 * <p>HAProxy compiles with PCRE2; here the pattern goes through {@link PcreSyntax} into
 * java.util.regex, which then reads bytes as Latin-1 chars, with {@code UNIX_LINES} (only
 * {@code \n} ends a line, PCRE's default) and, when not case-sensitive, {@code CASE_INSENSITIVE}
 * (ASCII letters only, as PCRE's default tables).
 */
final class RegexClass {

    /** HAProxy fills at most 20 {@code regmatch_t}: the whole match and 19 groups. */
    static final int MAX_CAPTURES = 20;

    /** Character reads allowed per exec/match; PCRE2's default match limit is 10 million too. */
    static final long MATCH_LIMIT = 10_000_000;

    private RegexClass() {
    }

    /** One class per state: scripts may change a metatable, and states must not see each other's changes. */
    private static LuaClass newClass() {
        return new LuaClass("Regex", Pattern.class)
                .<Pattern>method("exec", (p, a) -> {
                    LuaString subject = LuaArgs.checkString(a, 1, "exec");
                    Matcher m = p.matcher(RegexSubject.of(subject, MATCH_LIMIT));
                    return LuaValue.valueOf(find(m));
                })
                .<Pattern>method("match", (p, a) -> {
                    LuaString subject = LuaArgs.checkString(a, 1, "match");
                    Matcher m = p.matcher(RegexSubject.of(subject, MATCH_LIMIT));
                    LuaTable captures = new LuaTable();
                    boolean found = find(m);
                    if (found) {
                        int n = Math.min(m.groupCount() + 1, MAX_CAPTURES);
                        for (int g = 0; g < n && m.start(g) >= 0; g++) {
                            captures.rawset(g + 1, subject.substring(m.start(g), m.end(g)));
                        }
                    }
                    return LuaValue.varargsOf(LuaValue.valueOf(found), captures);
                });
    }

    /** The {@code Regex} global of one state. */
    static LuaTable create() {
        LuaClass regexClass = newClass();
        LuaTable regex = new LuaTable();
        regex.set("new", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return compile(regexClass, args);
            }
        });
        return regex;
    }

    private static Varargs compile(LuaClass regexClass, Varargs args) {
        LuaString source = LuaArgs.checkString(args, 1, "new");
        if (!args.arg(2).isboolean()) {
            throw LuaArgs.typeError(args, 2, "new", "boolean");
        }
        int flags = Pattern.UNIX_LINES | (args.arg(2).toboolean() ? 0 : Pattern.CASE_INSENSITIVE);
        String latin1 = new String(source.m_bytes, source.m_offset, source.m_length, StandardCharsets.ISO_8859_1);
        String description;
        int offset;
        try {
            PcreSyntax.Translation translation = PcreSyntax.toJava(latin1);
            try {
                return LuaValue.varargsOf(LuaValue.TRUE, regexClass.wrap(Pattern.compile(translation.pattern(), flags)));
            } catch (PatternSyntaxException e) {
                description = e.getDescription();
                offset = translation.originOf(e.getIndex());
            }
        } catch (PatternSyntaxException e) {
            description = e.getDescription();
            offset = e.getIndex();
        } catch (StackOverflowError e) {
            description = "pattern too deeply nested";
            offset = 0;
        }
        LuaValue message = LuaValue.valueOf("regex '").concat(source)
                .concat(LuaValue.valueOf("' is invalid (error=" + description + ", erroffset=" + Math.max(offset, 0) + ")"));
        return LuaValue.varargsOf(LuaValue.FALSE, message);
    }

    /** Whether the pattern occurs; a search that exhausts its budget or the stack found nothing, as when PCRE gives up. */
    private static boolean find(Matcher m) {
        try {
            return m.find();
        } catch (RegexSubject.Exhausted | StackOverflowError e) {
            return false;
        }
    }
}
