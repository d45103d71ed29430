package io.luagate.kernel.rule;

import java.nio.charset.StandardCharsets;

/**
 * Configuration text as the bytes HAProxy would read from its file. HAProxy knows no characters:
 * {@code set-header X café} sends the file's UTF-8 bytes {@code 63 61 66 C3 A9}, and an ACL's
 * {@code -m str café} matches a header carrying those bytes. luagate's strings on the request path
 * hold one byte per {@code char} (the parsers, Lua and the runtime API read bytes as ISO-8859-1),
 * so a configuration string joins them only once each of its characters above 0x7F has become
 * the bytes of its UTF-8 encoding, one {@code char} each. That happens once, when a rule is read.
 */
public final class ConfigBytes {

    private ConfigBytes() {
    }

    /** {@code text}'s UTF-8 bytes, one {@code char} each; {@code text} itself when it is ASCII. */
    public static String of(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, i);
                while (i < text.length()) {
                    i = append(text, i, out);
                }
                return out.toString();
            }
        }
        return text;
    }

    /**
     * Appends the character at {@code i} as its UTF-8 bytes, one {@code char} each (a surrogate
     * pair as one code point); returns the index after it.
     */
    public static int append(String text, int i, StringBuilder out) {
        char c = text.charAt(i);
        if (c < 0x80) {
            out.append(c);
            return i + 1;
        }
        int codePoint = text.codePointAt(i);
        for (byte b : Character.toString(codePoint).getBytes(StandardCharsets.UTF_8)) {
            out.append((char) (b & 0xFF));
        }
        return i + Character.charCount(codePoint);
    }

    /**
     * The file name that a rule's word (or any byte string, a runtime API argument or a Lua
     * string) names: its bytes read as UTF-8, the file system's encoding here.
     */
    public static String fileName(String bytes) {
        for (int i = 0; i < bytes.length(); i++) {
            if (bytes.charAt(i) >= 0x80) {
                return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return bytes;
    }
}
