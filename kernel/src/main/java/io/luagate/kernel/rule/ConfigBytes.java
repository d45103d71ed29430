package io.luagate.kernel.rule;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
     * A message that quotes byte words, for people: each run of chars 0x80-0xFF (bytes) read as
     * UTF-8 again, so that {@code café} shows as written in the file rather than as {@code cafÃ©};
     * a byte that is no part of a UTF-8 character (a rule's {@code \xe9}) shows as {@code \xE9}.
     * Other chars are kept: messages are built from bytes and from text alike.
     */
    public static String text(String message) {
        int i = 0;
        while (i < message.length() && (message.charAt(i) < 0x80 || message.charAt(i) > 0xFF)) {
            i++;
        }
        if (i == message.length()) {
            return message;
        }
        StringBuilder out = new StringBuilder(message.length()).append(message, 0, i);
        while (i < message.length()) {
            char c = message.charAt(i);
            if (c < 0x80 || c > 0xFF) {
                out.append(c);
                i++;
                continue;
            }
            int end = i;
            while (end < message.length() && message.charAt(end) >= 0x80 && message.charAt(end) <= 0xFF) {
                end++;
            }
            decodeRun(message.substring(i, end).getBytes(StandardCharsets.ISO_8859_1), out);
            i = end;
        }
        return out.toString();
    }

    /** Appends {@code bytes} as UTF-8 characters where they form some, as {@code \xNN} where not. */
    private static void decodeRun(byte[] bytes, StringBuilder out) {
        int i = 0;
        while (i < bytes.length) {
            int lead = bytes[i] & 0xFF;
            int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            String decoded = length > 1 && i + length <= bytes.length ? strictUtf8(bytes, i, length) : null;
            if (decoded == null) {
                out.append(String.format("\\x%02X", lead));
                i++;
            } else {
                out.append(decoded);
                i += length;
            }
        }
    }

    private static String strictUtf8(byte[] bytes, int from, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
