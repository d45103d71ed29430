package io.luagate.kernel.rule.match;

import java.util.Locale;

/** HAProxy's match methods ({@code -m ...}). */
public enum MatchMethod {
    /** The sample exists (no pattern). */
    FOUND,
    /** The sample is a true boolean or a non-zero integer (no pattern). */
    BOOL,
    /** Integer equal to, or in a range of, a pattern ({@code 10}, {@code 10:20}, {@code :20}, {@code 10:}, {@code gt 5}...). */
    INT,
    /** Address in one of the networks ({@code 10.0.0.0/8}, {@code ::1}, {@code 192.168.1.1}). */
    IP,
    /** Binary equal to a hex pattern. */
    BIN,
    /** Length of the sample (as a string) matched as INT. */
    LEN,
    /** Exact string. */
    STR,
    /** Prefix. */
    BEG,
    /** Suffix. */
    END,
    /** Substring. */
    SUB,
    /** Regular expression (found anywhere, like PCRE without anchors). */
    REG,
    /** A slash-delimited segment sequence ({@code /a/b} in {@code /x/a/b/y}). */
    DIR,
    /** A dot-delimited domain segment sequence ({@code example.com} in {@code www.example.com}). */
    DOM;

    /** The method named as in {@code -m NAME}, or {@code null}. */
    public static MatchMethod parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether patterns are used at all (found and bool take none). */
    public boolean takesPatterns() {
        return this != FOUND && this != BOOL;
    }
}
