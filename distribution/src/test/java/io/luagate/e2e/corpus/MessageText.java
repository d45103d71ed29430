package io.luagate.e2e.corpus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns a request or upstream section into the bytes sent: head lines joined with CRLF and ended
 * by an empty line, then the body verbatim; or, with {@code escapes}, the section's escapes
 * decoded and nothing added (its own line breaks are dropped, so long messages may wrap).
 */
final class MessageText {

    private MessageText() {
    }

    static byte[] bytes(String text, boolean escapes) {
        return escapes ? unescape(text.replace("\n", "")) : plain(text);
    }

    private static byte[] plain(String text) {
        int end = text.indexOf("\n\n");
        String head = end < 0 ? text.stripTrailing() : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 2);
        String wire = String.join("\r\n", head.split("\n", -1)) + "\r\n\r\n" + body;
        return wire.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] unescape(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b != '\\' || i + 1 >= utf8.length) {
                out.write(b);
                continue;
            }
            char c = (char) utf8[++i];
            switch (c) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(new String(utf8, i + 1, 2, StandardCharsets.US_ASCII), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + c);
            }
        }
        return out.toByteArray();
    }
}
