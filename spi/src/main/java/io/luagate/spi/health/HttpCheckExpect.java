package io.luagate.spi.health;

/**
 * One {@code http-check expect} rule: {@code expect [!] status 200,300-399}, {@code rstatus <regex>},
 * {@code string <text>}, {@code rstring <regex>}. Checked by the kernel when the configuration is read
 * (a regex compiles, a status list parses), so a checker may compile it without failing.
 *
 * @param kind    what is matched
 * @param negated written with {@code !}: the check passes when the match fails
 * @param pattern the status list, regex or text, as written
 * @param origin  where it is written, as {@code file:line}
 */
public record HttpCheckExpect(Kind kind, boolean negated, String pattern, String origin) {

    /** What an expect rule matches. */
    public enum Kind {
        /** The status against a comma-separated list of codes and ranges ({@code 200,300-399}). */
        STATUS,
        /** The status, as text, against a regex. */
        RSTATUS,
        /** The body contains the text. */
        STRING,
        /** The body matches the regex somewhere. */
        RSTRING
    }
}
