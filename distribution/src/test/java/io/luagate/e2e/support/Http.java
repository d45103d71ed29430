package io.luagate.e2e.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 message reading and writing over plain streams, shared by the test client and server. */
public final class Http {

    private Http() {
    }

    /** A parsed message: the start line, headers (names lower-cased, in order) and the body. */
    public record Message(String startLine, Map<String, List<String>> headers, byte[] body) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        public int status() {
            return Integer.parseInt(startLine.split(" ")[1]);
        }

        public String method() {
            return startLine.split(" ")[0];
        }

        public String target() {
            return startLine.split(" ")[1];
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Reads one line ending in CRLF (or LF); {@code null} at end of stream before any byte. */
    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads a message head; {@code null} when the stream ends first. */
    public static Message readHead(InputStream in) throws IOException {
        String start = readLine(in);
        while (start != null && start.isEmpty()) {
            start = readLine(in);
        }
        if (start == null) {
            return null;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return new Message(start, headers, new byte[0]);
    }

    /**
     * Reads a whole message. {@code bodyless} is for responses to HEAD and statuses without a body;
     * {@code closeDelimited} reads to the end of the stream when there is no framing (responses only).
     */
    public static Message read(InputStream in, boolean bodyless, boolean closeDelimited) throws IOException {
        Message head = readHead(in);
        if (head == null) {
            return null;
        }
        return new Message(head.startLine(), head.headers(), readBody(in, head, bodyless, closeDelimited));
    }

    static byte[] readBody(InputStream in, Message head, boolean bodyless, boolean closeDelimited) throws IOException {
        if (bodyless) {
            return new byte[0];
        }
        String te = head.header("transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    String trailer;
                    while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
                        // trailers ignored
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        }
        String length = head.header("content-length");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length));
        }
        return closeDelimited ? in.readAllBytes() : new byte[0];
    }

    /** Writes a message with a Content-Length body (or none). */
    public static void write(OutputStream out, String startLine, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(startLine).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("content-length")
                || h.equalsIgnoreCase("transfer-encoding"))) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
    }
}
