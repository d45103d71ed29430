package io.luagate.spi.pattern;

import java.nio.charset.StandardCharsets;

/**
 * The file that a byte string names. A rule's word, a runtime API argument and a Lua string hold
 * bytes, one per {@code char}, as HAProxy reads them; the file system's names here are UTF-8, and
 * a {@link PatternFile}'s name is text. {@code show map /etc/café.map} sends the bytes
 * {@code C3 A9}, which name the file {@code café.map} only once read as UTF-8.
 */
public final class FileNameBytes {

    private FileNameBytes() {
    }

    /** {@code bytes} read as UTF-8; {@code bytes} itself when it is ASCII. */
    public static String decode(String bytes) {
        for (int i = 0; i < bytes.length(); i++) {
            if (bytes.charAt(i) >= 0x80) {
                return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return bytes;
    }

    /** {@code name}'s UTF-8 bytes, one {@code char} each, as the runtime API writes a file's name. */
    public static String encode(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return name;
    }
}
