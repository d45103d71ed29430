package io.luagate.e2e.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP/1.1 head read from a stream (start line and header lines as sent), and the body
 * readers both the upstream and the client need: by length, chunked, and until close.
 */
record HttpHead(String startLine, List<String> lines) {

    /** Reads up to and including the empty line; null when the stream ends before any byte. */
    static HttpHead read(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int previous = -1;
        int beforePrevious = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (raw.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside a head: "
                        + raw.toString(StandardCharsets.ISO_8859_1));
            }
            raw.write(b);
            // Ends at CRLF CRLF, or at LF LF, which HAProxy accepts too.
            if (b == '\n' && (previous == '\n' || previous == '\r' && beforePrevious == '\n')) {
                break;
            }
            beforePrevious = previous;
            previous = b;
            if (raw.size() > 1 << 20) {
                throw new IOException("head larger than 1 MB");
            }
        }
        String text = raw.toString(StandardCharsets.ISO_8859_1);
        List<String> all = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        while (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
            all.remove(all.size() - 1);
        }
        return new HttpHead(all.get(0), List.copyOf(all.subList(1, all.size())));
    }

    /** All values of a header (case-insensitive name), split on commas. */
    List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                for (String v : line.substring(colon + 1).split(",")) {
                    if (!v.isBlank()) {
                        values.add(v.strip().toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return values;
    }

    boolean chunked() {
        List<String> te = values("transfer-encoding");
        return !te.isEmpty() && te.get(te.size() - 1).equals("chunked");
    }

    /** The Content-Length, or -1 when absent. */
    long contentLength() {
        List<String> cl = values("content-length");
        return cl.isEmpty() ? -1 : Long.parseLong(cl.get(0));
    }

    static byte[] readLength(InputStream in, long length) throws IOException {
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new IOException("connection closed after " + body.length + " of " + length + " body bytes");
        }
        return body;
    }

    /** Reads a chunked body and its trailers; returns the de-chunked data. */
    static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers are not recorded
                }
                return body.toByteArray();
            }
            body.write(readLength(in, size));
            readLine(in);
        }
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed inside a chunked body");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
