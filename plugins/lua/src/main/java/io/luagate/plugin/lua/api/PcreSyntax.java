package io.luagate.plugin.lua.api;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Locale;
import java.util.regex.PatternSyntaxException;

/**
 * Rewrites a PCRE2 pattern (HAProxy's regex engine, 8-bit, no UTF) into java.util.regex syntax
 * where the two read the same text differently, so that PCRE syntax either means the same thing
 * in Java or fails to compile, rather than silently meaning something else (the few known
 * exceptions are in the plugin's README). Runs once per pattern, at {@code Regex.new}.
 *
 * <p>The pattern is a Lua string read as Latin-1, one char per byte, so Java matches bytes as
 * PCRE does. What is rewritten:
 * <ul>
 *   <li>Character classes, read with PCRE's rules: {@code ]} first is a literal, {@code [} and
 *       {@code &&} are literals (Java nests and intersects), POSIX classes {@code [:alpha:]} and
 *       {@code [:^alpha:]} become Java's ASCII properties, {@code \b} is a backspace, digits after
 *       a backslash are octal, blanks and {@code #} stay literal in extended mode.</li>
 *   <li>A {@code {} that does not start a quantifier {@code {n}}, {@code {n,}}, {@code {n,m}} is a
 *       literal (Java refuses it).</li>
 *   <li>Octal escapes ({@code \0}, {@code \012}, {@code \o{..}}), {@code \x} with fewer than two
 *       digits, {@code \cx} (PCRE upper-cases x), {@code \N} (not a newline), {@code \Q..\E}.</li>
 *   <li>Named groups {@code (?P<n>..)}, {@code (?'n'..)} and their references {@code (?P=n)},
 *       {@code \k'n'}, {@code \k{n}}, {@code \g{n}}; names may hold {@code _} (Java's may not,
 *       so every name is encoded). Numbered references {@code \g{N}}, {@code \gN}, relative
 *       {@code \g{-N}}.</li>
 *   <li>Comments {@code (?#...)} are dropped; in extended mode ({@code (?x)}) blanks and
 *       {@code #...} comments are dropped.</li>
 * </ul>
 * Refused, with an error naming the construct: option letters other than {@code i m s x}
 * (PCRE's {@code (?U)} is "ungreedy", Java's is Unicode classes), backtracking verbs
 * {@code (*...)}, recursion and subroutine calls, conditionals, branch reset, callouts, POSIX
 * collating elements. Anything else is handed to Java, which refuses what it does not know
 * ({@code \K}, ...).
 */
final class PcreSyntax {

    private final String in;
    private final StringBuilder out;
    /** For each char of {@link #out}, the index in {@link #in} it came from (to place Java's errors). */
    private int[] origin;
    private int pos;
    private int groups;
    private boolean extended;
    private final Deque<Boolean> extendedStack = new ArrayDeque<>();

    private PcreSyntax(String pcre) {
        this.in = pcre;
        this.out = new StringBuilder(pcre.length() + 16);
        this.origin = new int[pcre.length() + 16];
    }

    /** The Java pattern and, for each of its chars, where it came from in the PCRE pattern. */
    record Translation(String pattern, int[] origin) {

        /** The PCRE pattern's index for an index in the Java pattern (e.g. of an error). */
        int originOf(int javaIndex) {
            if (javaIndex < 0) {
                return javaIndex;
            }
            return javaIndex < pattern.length() ? origin[javaIndex] : origin.length == 0 ? 0 : origin[pattern.length() - 1] + 1;
        }
    }

    /**
     * @throws PatternSyntaxException for a pattern PCRE would refuse or luagate cannot express,
     *                                with the index in {@code pcre}
     */
    static Translation toJava(String pcre) {
        PcreSyntax t = new PcreSyntax(pcre);
        t.run();
        return new Translation(t.out.toString(), Arrays.copyOf(t.origin, t.out.length()));
    }

    private void run() {
        while (pos < in.length()) {
            char c = in.charAt(pos);
            switch (c) {
                case '\\' -> escape();
                case '[' -> characterClass();
                case '(' -> openGroup();
                case ')' -> {
                    extended = extendedStack.isEmpty() ? extended : extendedStack.pop();
                    emit(")", pos++);
                }
                case '{' -> {
                    int end = quantifierEnd(pos);
                    if (end > 0) {
                        emit(in.substring(pos, end), pos);
                        pos = end;
                    } else {
                        emit("\\{", pos++);
                    }
                }
                case '#' -> {
                    if (extended) {
                        while (pos < in.length() && in.charAt(pos) != '\n') {
                            pos++;
                        }
                    } else {
                        emit("#", pos++);
                    }
                }
                default -> {
                    if (extended && blank(c)) {
                        pos++;
                    } else {
                        emit(String.valueOf(c), pos++);
                    }
                }
            }
        }
    }

    // ---- escapes outside classes -------------------------------------------------------------

    private void escape() {
        int start = pos;
        if (pos + 1 >= in.length()) {
            throw error("\\ at end of pattern", start);
        }
        char d = in.charAt(pos + 1);
        pos += 2;
        switch (d) {
            case 'Q' -> quoted(start);
            case 'E' -> {
                // a lone \E is ignored
            }
            case '0' -> emitByte(octal(2), start);
            case '1', '2', '3', '4', '5', '6', '7', '8', '9' -> backslashNumber(d, start);
            case 'x' -> emitByte(hex(start), start);
            case 'o' -> emitByte(braceOctal(start), start);
            case 'c' -> emitByte(control(start), start);
            case 'N' -> emit("[^\\n]", start);
            case 'g' -> gReference(start);
            case 'k' -> emit("\\k<" + javaName(delimitedName(start)) + ">", start);
            case 'p', 'P' -> {
                emit("\\" + d, start);
                if (pos < in.length() && in.charAt(pos) == '{') {
                    int close = in.indexOf('}', pos);
                    if (close < 0) {
                        throw error("malformed \\" + d + " sequence", start);
                    }
                    emit(in.substring(pos, close + 1), start);
                    pos = close + 1;
                }
            }
            default -> {
                if (asciiLetterOrDigit(d)) {
                    emit("\\" + d, start);
                } else {
                    emitByte(d, start);
                }
            }
        }
    }

    /** {@code \Q...\E}: everything up to {@code \E} (or the end) is literal. */
    private void quoted(int start) {
        int close = in.indexOf("\\E", pos);
        int end = close < 0 ? in.length() : close;
        for (int i = pos; i < end; i++) {
            emitByte(in.charAt(i), i);
        }
        pos = close < 0 ? end : close + 2;
    }

    /**
     * PCRE's rule for {@code \} and digits outside a class: a back reference if the number is below
     * 10, starts with 8 or 9, or names a group already opened; else up to three octal digits.
     */
    private void backslashNumber(char first, int start) {
        int end = pos - 1;
        while (end < in.length() && Character.isDigit(in.charAt(end)) && in.charAt(end) < 128) {
            end++;
        }
        String digits = in.substring(pos - 1, end);
        int number = digits.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(digits);
        if (number < 10 || first == '8' || first == '9' || number <= groups) {
            emit("(?:\\" + digits + ")", start);
            pos = end;
            return;
        }
        pos--;
        emitByte(octal(3), start);
    }

    /** Up to {@code max} octal digits at {@link #pos} (none: 0); a byte value. */
    private int octal(int max) {
        int value = 0;
        for (int n = 0; n < max && pos < in.length() && in.charAt(pos) >= '0' && in.charAt(pos) <= '7'; n++) {
            value = value * 8 + (in.charAt(pos++) - '0');
        }
        if (value > 0xFF) {
            throw error("octal value is greater than \\377 in 8-bit non-UTF mode", pos - 1);
        }
        return value;
    }

    /** After {@code \x}: {@code {hh..}} or up to two hex digits (none: 0). */
    private int hex(int start) {
        if (pos < in.length() && in.charAt(pos) == '{') {
            int close = in.indexOf('}', pos);
            if (close < 0 || close == pos + 1) {
                throw error("missing } after \\x{", start);
            }
            int value = 0;
            for (int i = pos + 1; i < close; i++) {
                int h = hexDigit(in.charAt(i));
                if (h < 0) {
                    throw error("non-hex character in \\x{}", i);
                }
                value = Math.min(value * 16 + h, 0x110000);
            }
            if (value > 0xFF) {
                throw error("character code point value in \\x{} or \\o{} is too large", start);
            }
            pos = close + 1;
            return value;
        }
        int value = 0;
        for (int n = 0; n < 2 && pos < in.length() && hexDigit(in.charAt(pos)) >= 0; n++) {
            value = value * 16 + hexDigit(in.charAt(pos++));
        }
        return value;
    }

    /** After {@code \o}: {@code {ooo}}. */
    private int braceOctal(int start) {
        if (pos >= in.length() || in.charAt(pos) != '{') {
            throw error("missing opening brace after \\o", start);
        }
        int close = in.indexOf('}', pos);
        if (close < 0 || close == pos + 1) {
            throw error("missing } after \\o{", start);
        }
        int value = 0;
        for (int i = pos + 1; i < close; i++) {
            char c = in.charAt(i);
            if (c < '0' || c > '7') {
                throw error("non-octal character in \\o{}", i);
            }
            value = Math.min(value * 8 + (c - '0'), 0x110000);
        }
        if (value > 0xFF) {
            throw error("character code point value in \\x{} or \\o{} is too large", start);
        }
        pos = close + 1;
        return value;
    }

    /** After {@code \c}: a printable ASCII char, upper-cased, with bit 6 flipped. */
    private int control(int start) {
        if (pos >= in.length() || in.charAt(pos) < 32 || in.charAt(pos) > 126) {
            throw error("\\c must be followed by a printable ASCII character", start);
        }
        char c = in.charAt(pos++);
        if (c >= 'a' && c <= 'z') {
            c -= 32;
        }
        return c ^ 0x40;
    }

    /** {@code \g{N}}, {@code \gN}, {@code \g{-N}}, {@code \g-N}, {@code \g{name}}. */
    private void gReference(int start) {
        if (pos < in.length() && (in.charAt(pos) == '<' || in.charAt(pos) == '\'')) {
            throw error("subroutine calls (\\g<...>) are not supported by luagate", start);
        }
        String ref;
        if (pos < in.length() && in.charAt(pos) == '{') {
            int close = in.indexOf('}', pos);
            if (close < 0) {
                throw error("\\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number", start);
            }
            ref = in.substring(pos + 1, close);
            pos = close + 1;
        } else {
            int end = pos;
            if (end < in.length() && (in.charAt(end) == '-' || in.charAt(end) == '+')) {
                end++;
            }
            while (end < in.length() && in.charAt(end) >= '0' && in.charAt(end) <= '9') {
                end++;
            }
            ref = in.substring(pos, end);
            pos = end;
        }
        if (ref.matches("-?[0-9]+")) {
            long n = ref.length() > 9 ? Long.MAX_VALUE : Long.parseLong(ref);
            long group = n < 0 ? groups + n + 1 : n;
            if (n == 0 || group < 1 || group > 65535) {
                throw error("a relative value of zero is not allowed, or the reference is out of range", start);
            }
            emit("(?:\\" + group + ")", start);
        } else if (ref.startsWith("+")) {
            throw error("forward relative references (\\g{+N}) are not supported by luagate", start);
        } else {
            emit("\\k<" + javaName(ref) + ">", start);
        }
    }

    /** After {@code \k}: {@code <name>}, {@code 'name'} or {@code {name}}. */
    private String delimitedName(int start) {
        if (pos >= in.length()) {
            throw error("\\k is not followed by a braced, angle-bracketed, or quoted name", start);
        }
        char open = in.charAt(pos);
        char close = open == '<' ? '>' : open == '\'' ? '\'' : open == '{' ? '}' : 0;
        int end = close == 0 ? -1 : in.indexOf(close, pos + 1);
        if (end < 0) {
            throw error("\\k is not followed by a braced, angle-bracketed, or quoted name", start);
        }
        String name = in.substring(pos + 1, end);
        pos = end + 1;
        return name;
    }

    // ---- groups ------------------------------------------------------------------------------

    private void openGroup() {
        int start = pos;
        if (pos + 1 < in.length() && in.charAt(pos + 1) == '*') {
            throw error("backtracking verbs and start options (*...) are not supported by luagate", start);
        }
        if (pos + 1 >= in.length() || in.charAt(pos + 1) != '?') {
            groups++;
            push();
            emit("(", pos++);
            return;
        }
        pos += 2;
        if (pos >= in.length()) {
            throw error("missing closing parenthesis", start);
        }
        char k = in.charAt(pos);
        switch (k) {
            case '#' -> {
                int close = in.indexOf(')', pos);
                if (close < 0) {
                    throw error("missing ) after (?# comment", start);
                }
                pos = close + 1;
            }
            case ':', '=', '!', '>' -> {
                push();
                emit("(?" + k, start);
                pos++;
            }
            case '<' -> {
                if (pos + 1 < in.length() && (in.charAt(pos + 1) == '=' || in.charAt(pos + 1) == '!')) {
                    push();
                    emit("(?<" + in.charAt(pos + 1), start);
                    pos += 2;
                } else {
                    pos++;
                    namedGroup('>', start);
                }
            }
            case '\'' -> {
                pos++;
                namedGroup('\'', start);
            }
            case 'P' -> {
                char p = pos + 1 < in.length() ? in.charAt(pos + 1) : 0;
                if (p == '<') {
                    pos += 2;
                    namedGroup('>', start);
                } else if (p == '=') {
                    int close = in.indexOf(')', pos);
                    if (close < 0) {
                        throw error("syntax error in subpattern name (missing terminator?)", start);
                    }
                    emit("\\k<" + javaName(in.substring(pos + 2, close)) + ">", start);
                    pos = close + 1;
                } else {
                    throw error("subroutine calls (?P>name) are not supported by luagate", start);
                }
            }
            case '|' -> throw error("branch reset groups (?|...) are not supported by luagate", start);
            case '(' -> throw error("conditional groups (?(...)...) are not supported by luagate", start);
            case 'C' -> throw error("callouts (?C...) are not supported by luagate", start);
            case 'R', '&', '+' -> throw error("recursion and subroutine calls are not supported by luagate", start);
            default -> {
                if (k >= '0' && k <= '9') {
                    throw error("recursion and subroutine calls are not supported by luagate", start);
                }
                if (k == '-' && pos + 1 < in.length() && Character.isDigit(in.charAt(pos + 1))) {
                    throw error("recursion and subroutine calls are not supported by luagate", start);
                }
                options(start);
            }
        }
    }

    /** {@code (?imsx-imsx)} or {@code (?imsx-imsx:...)}; other PCRE option letters are refused. */
    private void options(int start) {
        int i = pos;
        boolean on = true;
        Boolean x = null;
        while (i < in.length() && in.charAt(i) != ')' && in.charAt(i) != ':') {
            char c = in.charAt(i);
            if (c == '-' && on) {
                on = false;
            } else if (c == 'x') {
                if (x != null) {
                    throw error("option (?xx) is not supported by luagate", i);
                }
                x = on;
            } else if (c != 'i' && c != 'm' && c != 's') {
                throw error("option letter '" + c + "' in (?...) is not supported by luagate (only i, m, s, x)", i);
            }
            i++;
        }
        if (i >= in.length()) {
            throw error("missing closing parenthesis", start);
        }
        boolean scoped = in.charAt(i) == ':';
        if (scoped) {
            push();
        }
        if (x != null) {
            extended = x;
        }
        emit(in.substring(start, i + 1), start);
        pos = i + 1;
    }

    private void namedGroup(char terminator, int start) {
        int close = in.indexOf(terminator, pos);
        if (close < 0) {
            throw error("syntax error in subpattern name (missing terminator?)", start);
        }
        String name = in.substring(pos, close);
        groups++;
        push();
        emit("(?<" + javaName(name) + ">", start);
        pos = close + 1;
    }

    private void push() {
        extendedStack.push(extended);
    }

    /**
     * PCRE names ({@code [A-Za-z_][A-Za-z0-9_]*}, at most 32) as Java names ({@code [A-Za-z][A-Za-z0-9]*}):
     * a prefix, and {@code Z} and {@code _} written as {@code ZZ} and {@code Zu}, one to one.
     */
    private String javaName(String name) {
        if (name.isEmpty() || name.length() > 32 || Character.isDigit(name.charAt(0))) {
            throw error("subpattern name expected, or invalid: '" + name + "'", pos);
        }
        StringBuilder b = new StringBuilder("n");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 'Z') {
                b.append("ZZ");
            } else if (c == '_') {
                b.append("Zu");
            } else if (asciiLetterOrDigit(c)) {
                b.append(c);
            } else {
                throw error("subpattern name expected, or invalid: '" + name + "'", pos);
            }
        }
        return b.toString();
    }

    /** The end (exclusive) of a quantifier {@code {n}}, {@code {n,}}, {@code {n,m}} at {@code at}, or -1. */
    private int quantifierEnd(int at) {
        int i = at + 1;
        int digits = 0;
        while (i < in.length() && in.charAt(i) >= '0' && in.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (digits == 0 || i >= in.length()) {
            return -1;
        }
        if (in.charAt(i) == '}') {
            return i + 1;
        }
        if (in.charAt(i) != ',') {
            return -1;
        }
        i++;
        while (i < in.length() && in.charAt(i) >= '0' && in.charAt(i) <= '9') {
            i++;
        }
        return i < in.length() && in.charAt(i) == '}' ? i + 1 : -1;
    }

    // ---- character classes -------------------------------------------------------------------

    private void characterClass() {
        int start = pos;
        if (in.startsWith("[[:<:]]", pos)) {
            emit("\\b(?=\\w)", start);
            pos += 7;
            return;
        }
        if (in.startsWith("[[:>:]]", pos)) {
            emit("\\b(?<=\\w)", start);
            pos += 7;
            return;
        }
        if (posixSyntaxEnd(pos) >= 0) {
            throw error("POSIX named classes are supported only within a class", start);
        }
        emit("[", pos++);
        if (pos < in.length() && in.charAt(pos) == '^') {
            emit("^", pos++);
        }
        if (pos < in.length() && in.charAt(pos) == ']') {
            emit("\\]", pos++);
        }
        while (pos < in.length()) {
            char c = in.charAt(pos);
            switch (c) {
                case ']' -> {
                    emit("]", pos++);
                    return;
                }
                case '[' -> {
                    if (!posixClass()) {
                        emit("\\[", pos++);
                    }
                }
                case '\\' -> classEscape();
                case '-' -> emit("-", pos++);
                default -> {
                    if (asciiLetterOrDigit(c) || (c > ' ' && c < 127 && c != '&' && c != '#')) {
                        emit(String.valueOf(c), pos++);
                    } else {
                        emitByte(c, pos++);
                    }
                }
            }
        }
        throw error("missing terminating ] for character class", start);
    }

    /** {@code [:name:]} or {@code [:^name:]} at {@link #pos}; false (nothing read) if it is not one. */
    private boolean posixClass() {
        if (pos + 1 >= in.length()) {
            return false;
        }
        int end = posixSyntaxEnd(pos);
        if (end < 0) {
            return false;
        }
        if (in.charAt(pos + 1) != ':') {
            throw error("POSIX collating elements are not supported", pos);
        }
        String name = in.substring(pos + 2, end);
        boolean negated = name.startsWith("^");
        if (negated) {
            name = name.substring(1);
        }
        String property = switch (name) {
            case "alnum" -> "p{Alnum}";
            case "alpha" -> "p{Alpha}";
            case "ascii" -> "p{ASCII}";
            case "blank" -> "p{Blank}";
            case "cntrl" -> "p{Cntrl}";
            case "digit" -> "p{Digit}";
            case "graph" -> "p{Graph}";
            case "lower" -> "p{Lower}";
            case "print" -> "p{Print}";
            case "punct" -> "p{Punct}";
            case "space" -> "s";
            case "upper" -> "p{Upper}";
            case "word" -> "w";
            case "xdigit" -> "p{XDigit}";
            default -> throw error("unknown POSIX class name '" + name + "'", pos);
        };
        if (negated) {
            property = property.startsWith("p") ? "P" + property.substring(1) : property.toUpperCase(Locale.ROOT);
        }
        emit("\\" + property, pos);
        pos = end + 2;
        return true;
    }

    /**
     * PCRE's test for POSIX syntax at {@code at}: {@code [:}, {@code [.} or {@code [=}, then the
     * same char and {@code ]} before any other bracket. The index of that closing char, or -1.
     */
    private int posixSyntaxEnd(int at) {
        if (at + 1 >= in.length() || ":.=".indexOf(in.charAt(at + 1)) < 0) {
            return -1;
        }
        char kind = in.charAt(at + 1);
        for (int i = at + 2; i + 1 < in.length(); i++) {
            char c = in.charAt(i);
            if (c == '\\' && (in.charAt(i + 1) == ']' || in.charAt(i + 1) == '\\')) {
                i++;
            } else if (c == kind && in.charAt(i + 1) == ']') {
                return i;
            } else if (c == '[' || c == ']') {
                return -1;
            }
        }
        return -1;
    }

    private void classEscape() {
        int start = pos;
        if (pos + 1 >= in.length()) {
            throw error("\\ at end of pattern", start);
        }
        char d = in.charAt(pos + 1);
        pos += 2;
        switch (d) {
            case 'Q' -> quoted(start);
            case 'E' -> {
                // a lone \E is ignored
            }
            case 'b' -> emitByte(8, start);
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                pos--;
                emitByte(octal(3), start);
            }
            case 'x' -> emitByte(hex(start), start);
            case 'o' -> emitByte(braceOctal(start), start);
            case 'c' -> emitByte(control(start), start);
            case 'p', 'P' -> {
                emit("\\" + d, start);
                if (pos < in.length() && in.charAt(pos) == '{') {
                    int close = in.indexOf('}', pos);
                    if (close < 0) {
                        throw error("malformed \\" + d + " sequence", start);
                    }
                    emit(in.substring(pos, close + 1), start);
                    pos = close + 1;
                }
            }
            case 'd', 'D', 's', 'S', 'w', 'W', 'h', 'H', 'v', 'V', 't', 'n', 'r', 'f', 'e', 'a' -> emit("\\" + d, start);
            default -> {
                if (asciiLetterOrDigit(d) && d != '8' && d != '9') {
                    throw error("escape sequence \\" + d + " is invalid in a character class", start);
                }
                emitByte(d, start);
            }
        }
    }

    // ---- output ------------------------------------------------------------------------------

    private void emit(String text, int from) {
        out.append(text);
        if (origin.length < out.length()) {
            origin = Arrays.copyOf(origin, Math.max(out.length(), origin.length * 2));
        }
        Arrays.fill(origin, out.length() - text.length(), out.length(), from);
    }

    /** One byte as a literal that means itself in and out of a Java character class. */
    private void emitByte(int value, int from) {
        if (asciiLetterOrDigit((char) value)) {
            emit(String.valueOf((char) value), from);
        } else {
            emit(String.format("\\x%02x", value), from);
        }
    }

    private PatternSyntaxException error(String description, int index) {
        return new PatternSyntaxException(description, in, index);
    }

    private static boolean asciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean blank(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static int hexDigit(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }
}
