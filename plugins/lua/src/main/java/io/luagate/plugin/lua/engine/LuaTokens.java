package io.luagate.plugin.lua.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The tokens of a chunk as Lua 5.3's lexer ({@code llex.c}) reads them, with the text Lua shows
 * for each after "near", and the first lexical error Lua would raise. Run only when LuaJ refused
 * a chunk: LuaJ's messages say neither the token nor (for its lexical errors) PUC's wording.
 */
final class LuaTokens {

    private static final List<String> RESERVED = List.of("and", "break", "do", "else", "elseif", "end",
            "false", "for", "function", "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return",
            "then", "true", "until", "while");
    private static final Pattern DECIMAL = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX = Pattern.compile("0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?\\d+)?");
    private static final int EOZ = -1;

    /** A token: its bytes {@code [start, end)} and how Lua names it in a message. */
    record Token(int start, int end, String near) {
    }

    /** A lexical error: Lua's message, the line it names, the text after "near". */
    record Failure(int offset, int line, String message, String near) {
    }

    private final byte[] src;
    private int pos = -1;
    private int current;
    private int line = 1;
    /** The bytes of the token being read, as Lua's lexer saves them (escapes decoded). */
    private final StringBuilder buff = new StringBuilder();
    final List<Token> tokens = new ArrayList<>();
    Failure failure;

    private LuaTokens(byte[] src) {
        this.src = src;
        next();
    }

    /** Reads every token of {@code src}, up to its end or its first lexical error. */
    static LuaTokens scan(byte[] src) {
        LuaTokens t = new LuaTokens(src);
        try {
            while (true) {
                int start = t.skipBlanks();
                if (t.current == EOZ) {
                    return t;
                }
                t.buff.setLength(0);
                String near = t.token();
                if (near != null) {
                    t.tokens.add(new Token(start, t.pos, near));
                }
            }
        } catch (LexError e) {
            return t;
        }
    }

    /**
     * The line Lua's lexer is on once it read {@code count} characters: the newlines before its
     * current character, since Lua counts a newline when it skips it.
     */
    static int lineAfter(byte[] src, int count) {
        int line = 1;
        int end = Math.min(count, src.length);
        for (int i = 0; i < end; i++) {
            byte b = src[i];
            if (b == '\n' || b == '\r') {
                line++;
                if (i + 1 < end && (src[i + 1] == '\n' || src[i + 1] == '\r') && src[i + 1] != b) {
                    i++;
                }
            }
        }
        return line;
    }

    private static final class LexError extends RuntimeException {
        LexError() {
            super(null, null, false, false);
        }
    }

    private void next() {
        pos++;
        current = pos < src.length ? src[pos] & 0xff : EOZ;
    }

    private void saveAndNext() {
        buff.append((char) current);
        next();
    }

    private boolean isNewline() {
        return current == '\n' || current == '\r';
    }

    private void newline() {
        int old = current;
        next();
        if (isNewline() && current != old) {
            next();
        }
        line++;
    }

    /** Skips blanks and comments; returns where the next token starts. */
    private int skipBlanks() {
        while (true) {
            switch (current) {
                case '\n', '\r' -> newline();
                case ' ', '\f', '\t', 0x0b -> next();
                case '-' -> {
                    if (pos + 1 >= src.length || src[pos + 1] != '-') {
                        return pos;
                    }
                    next();
                    next();
                    if (current == '[') {
                        buff.setLength(0);
                        int sep = skipSep();
                        if (sep >= 0) {
                            longString(sep, false);
                            continue;
                        }
                    }
                    while (!isNewline() && current != EOZ) {
                        next();
                    }
                }
                default -> {
                    return pos;
                }
            }
        }
    }

    /** Reads one token (the lexer is at its first character); returns its text after "near". */
    private String token() {
        int c = current;
        switch (c) {
            case '[': {
                int sep = skipSep();
                if (sep >= 0) {
                    longString(sep, true);
                    return quoted(buff);
                }
                if (sep != -1) {
                    fail("invalid long string delimiter", quoted(buff));
                }
                return "'['";
            }
            case '=':
                next();
                return current == '=' ? two("==") : "'='";
            case '<':
                next();
                return current == '=' ? two("<=") : current == '<' ? two("<<") : "'<'";
            case '>':
                next();
                return current == '=' ? two(">=") : current == '>' ? two(">>") : "'>'";
            case '/':
                next();
                return current == '/' ? two("//") : "'/'";
            case '~':
                next();
                return current == '=' ? two("~=") : "'~'";
            case ':':
                next();
                return current == ':' ? two("::") : "':'";
            case '"', '\'':
                string(c);
                return quoted(buff);
            case '.':
                saveAndNext();
                if (current == '.') {
                    next();
                    if (current == '.') {
                        next();
                        return "'...'";
                    }
                    return "'..'";
                }
                if (current < '0' || current > '9') {
                    return "'.'";
                }
                return numeral();
            default:
                if (c >= '0' && c <= '9') {
                    return numeral();
                }
                if (c == '_' || Character.isLetter(c) && c < 128) {
                    while (current == '_' || current < 128 && Character.isLetterOrDigit(current)) {
                        saveAndNext();
                    }
                    String name = buff.toString();
                    return "'" + name + "'";
                }
                next();
                return c >= 32 && c < 127 ? "'" + (char) c + "'" : "'<\\" + c + ">'";
        }
    }

    private String two(String token) {
        next();
        return "'" + token + "'";
    }

    private String numeral() {
        String expo = "Ee";
        int first = current;
        saveAndNext();
        if (first == '0' && (current == 'x' || current == 'X')) {
            saveAndNext();
            expo = "Pp";
        }
        while (true) {
            if (current >= 0 && expo.indexOf(current) >= 0) {
                saveAndNext();
                if (current == '+' || current == '-') {
                    saveAndNext();
                }
            }
            if (current >= 0 && Character.digit(current, 16) >= 0 || current == '.') {
                saveAndNext();
            } else {
                break;
            }
        }
        String text = buff.toString();
        if (!DECIMAL.matcher(text).matches() && !HEX.matcher(text).matches()) {
            fail("malformed number", quoted(buff));
        }
        return quoted(buff);
    }

    /** Lua 5.3's {@code skip_sep}: the level of a long bracket, or a negative number when it is none. */
    private int skipSep() {
        int count = 0;
        int s = current;
        saveAndNext();
        while (current == '=') {
            saveAndNext();
            count++;
        }
        return current == s ? count : -count - 1;
    }

    private void longString(int sep, boolean string) {
        int startLine = line;
        saveAndNext();
        if (isNewline()) {
            newline();
        }
        while (true) {
            switch (current) {
                case EOZ -> fail("unfinished long " + (string ? "string" : "comment") + " (starting at line "
                        + startLine + ")", "<eof>");
                case ']' -> {
                    if (skipSep() == sep) {
                        saveAndNext();
                        return;
                    }
                }
                case '\n', '\r' -> {
                    buff.append('\n');
                    newline();
                }
                default -> saveAndNext();
            }
        }
    }

    private void string(int delimiter) {
        saveAndNext();
        while (current != delimiter) {
            switch (current) {
                case EOZ -> fail("unfinished string", "<eof>");
                case '\n', '\r' -> fail("unfinished string", quoted(buff));
                case '\\' -> escape();
                default -> saveAndNext();
            }
        }
        saveAndNext();
    }

    private void escape() {
        saveAndNext();
        int c;
        switch (current) {
            case 'a' -> c = 7;
            case 'b' -> c = '\b';
            case 'f' -> c = '\f';
            case 'n' -> c = '\n';
            case 'r' -> c = '\r';
            case 't' -> c = '\t';
            case 'v' -> c = 0x0b;
            case '\\', '"', '\'' -> c = current;
            case 'x' -> {
                int r = hexa();
                r = (r << 4) + hexa();
                buff.setLength(buff.length() - 2);
                c = r;
            }
            case 'u' -> {
                utf8();
                return;
            }
            case '\n', '\r' -> {
                newline();
                buff.setLength(buff.length() - 1);
                buff.append('\n');
                return;
            }
            case EOZ -> {
                return;
            }
            case 'z' -> {
                buff.setLength(buff.length() - 1);
                next();
                while (current == ' ' || current >= '\t' && current <= '\r') {
                    if (isNewline()) {
                        newline();
                    } else {
                        next();
                    }
                }
                return;
            }
            default -> {
                check(current >= '0' && current <= '9', "invalid escape sequence");
                int r = 0;
                int i = 0;
                for (; i < 3 && current >= '0' && current <= '9'; i++) {
                    r = 10 * r + current - '0';
                    saveAndNext();
                }
                check(r <= 255, "decimal escape too large");
                buff.setLength(buff.length() - i - 1);
                buff.append((char) r);
                return;
            }
        }
        next();
        buff.setLength(buff.length() - 1);
        buff.append((char) c);
    }

    private int hexa() {
        saveAndNext();
        check(current >= 0 && Character.digit(current, 16) >= 0, "hexadecimal digit expected");
        return Character.digit(current, 16);
    }

    private void utf8() {
        int removed = 4;
        saveAndNext();
        check(current == '{', "missing '{'");
        long r = hexa();
        while (true) {
            saveAndNext();
            if (current < 0 || Character.digit(current, 16) < 0) {
                break;
            }
            removed++;
            r = (r << 4) + Character.digit(current, 16);
            check(r <= 0x7FFFFFFFL, "UTF-8 value too large");
        }
        check(current == '}', "missing '}'");
        next();
        buff.setLength(buff.length() - removed);
        buff.append(utf8Bytes(r));
    }

    private static String utf8Bytes(long r) {
        if (r > Character.MAX_CODE_POINT || r >= 0xD800 && r <= 0xDFFF) {
            return "?";
        }
        byte[] bytes = new String(Character.toChars((int) r)).getBytes(StandardCharsets.UTF_8);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Lua's {@code esccheck}: the offending character joins the text shown. */
    private void check(boolean ok, String message) {
        if (!ok) {
            int at = pos;
            if (current != EOZ) {
                saveAndNext();
            }
            fail(at, message, quoted(buff));
        }
    }

    private void fail(String message, String near) {
        fail(pos, message, near);
    }

    /** Fails at {@code offset}: the character the lexer looked at when it found the error. */
    private void fail(int offset, String message, String near) {
        failure = new Failure(offset, line, message, near);
        throw new LexError();
    }

    /** The saved bytes (one char per byte) as Lua prints them: {@code '%s'} of the buffer. */
    private static String quoted(StringBuilder saved) {
        return "'" + new String(saved.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8) + "'";
    }
}
