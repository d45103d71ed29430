package io.luagate.kernel.config;

import io.luagate.spi.http.HttpToken;
import io.luagate.spi.rule.HttpReply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads an HAProxy error file ({@code errorfile <code> <file>}): a complete raw HTTP response,
 * checked at load as HAProxy 2.6's {@code http_load_errorfile} and {@code http_str_to_htx} check
 * it, with their messages. At most {@code tune.bufsize} bytes are read (HAProxy truncates a larger
 * file, which then usually fails the length check); an empty file (such as {@code /dev/null})
 * answers nothing.
 */
public final class ErrorFileReader {

    /** A file HAProxy would refuse; the message is HAProxy's. */
    public static final class BadErrorFile extends Exception {
        BadErrorFile(String message) {
            super(message);
        }
    }

    /** HAProxy's error offset for a head that never ends. */
    private static final int INCOMPLETE = -2;

    private ErrorFileReader() {
    }

    /**
     * The reply {@code file} makes for {@code status} ({@link HttpReply#fileVersion} set; an empty
     * file gives {@link HttpReply#nothing}), reading at most {@code bufferSize} bytes.
     */
    public static HttpReply read(Path file, int status, int bufferSize) throws BadErrorFile {
        byte[] raw;
        if (Files.isDirectory(file)) {
            throw new BadErrorFile("error reading file '" + file + "'.");
        }
        try (InputStream in = Files.newInputStream(file)) {
            raw = in.readNBytes(bufferSize);
        } catch (IOException e) {
            throw new BadErrorFile("error opening file '" + file + "'.");
        }
        if (raw.length == 0) {
            return HttpReply.nothing(status);
        }
        try {
            return parse(raw);
        } catch (BadErrorFile e) {
            throw new BadErrorFile("'" + file + "': " + e.getMessage());
        }
    }

    /** {@code http_str_to_htx}: the response head must parse and its framing must fit the payload. */
    static HttpReply parse(byte[] raw) throws BadErrorFile {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int lineStart = 0;
        int lineEnd = lineEnd(text, lineStart);
        if (lineEnd < 0) {
            throw unparsable(INCOMPLETE);
        }
        String statusLine = stripCr(text.substring(lineStart, lineEnd));
        int sp1 = statusLine.indexOf(' ');
        if (sp1 < 0) {
            throw unparsable(0);
        }
        String version = statusLine.substring(0, sp1);
        if (!version.startsWith("HTTP/")) {
            throw unparsable(0);
        }
        if (version.length() != 8) {
            throw new BadErrorFile("invalid http version (" + version + ")");
        }
        int sp2 = statusLine.indexOf(' ', sp1 + 1);
        String code = sp2 < 0 ? statusLine.substring(sp1 + 1) : statusLine.substring(sp1 + 1, sp2);
        if (!code.matches("[0-9]{3}")) {
            throw unparsable(sp1 + 1);
        }
        int status = Integer.parseInt(code);
        String reason = sp2 < 0 ? "" : statusLine.substring(sp2 + 1);
        List<HttpReply.Header> headers = new ArrayList<>();
        long contentLength = -1;
        boolean chunked = false;
        int pos = lineEnd + 1;
        while (true) {
            int end = lineEnd(text, pos);
            if (end < 0) {
                throw unparsable(INCOMPLETE);
            }
            String line = stripCr(text.substring(pos, end));
            if (line.isEmpty()) {
                pos = end + 1;
                break;
            }
            int nameEnd = 0;
            while (nameEnd < line.length() && HttpToken.isTokenChar(line.charAt(nameEnd))) {
                nameEnd++;
            }
            int colon = nameEnd < line.length() && line.charAt(nameEnd) == ':' ? nameEnd : -1;
            if (colon <= 0) {
                throw unparsable(pos + nameEnd);
            }
            // HAProxy's HTX keeps header names in lower case and values trimmed.
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (name.equals("content-length")) {
                long length = parseLength(value);
                if (length < 0 || contentLength >= 0 && length != contentLength) {
                    throw unparsable(pos + colon + 1);
                }
                contentLength = length;
            } else if (name.equals("transfer-encoding")) {
                chunked |= value.toLowerCase(Locale.ROOT).endsWith("chunked");
            }
            headers.add(new HttpReply.Header(name, value));
            pos = end + 1;
        }
        if (status < 200 && (status == 100 || status >= 102)) {
            throw new BadErrorFile("invalid http status code for an error message (" + status + ")");
        }
        byte[] body = Arrays.copyOfRange(raw, pos, raw.length);
        boolean bodyless = status == 204 || status == 304;
        if (!bodyless && chunked) {
            throw new BadErrorFile("chunk-encoded payload not supported");
        }
        if (!bodyless && contentLength == 0) {
            bodyless = true;
        }
        if (bodyless && body.length > 0) {
            throw new BadErrorFile("message payload not expected");
        }
        if (!bodyless && contentLength >= 0 && contentLength != body.length) {
            throw new BadErrorFile("payload size does not match the announced content-length ("
                    + body.length + " != " + contentLength + ")");
        }
        return new HttpReply(status, headers, body, reason, false, version);
    }

    private static BadErrorFile unparsable(int offset) {
        return new BadErrorFile("unable to parse headers (error offset: " + offset + ")");
    }

    /** The index of the next LF from {@code from} (HAProxy's parser takes CRLF or a bare LF), or -1. */
    private static int lineEnd(String text, int from) {
        return text.indexOf('\n', from);
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static long parseLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(value);
    }

}
