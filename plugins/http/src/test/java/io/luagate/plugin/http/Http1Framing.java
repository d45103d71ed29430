package io.luagate.plugin.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A strict reader of HTTP/1.1 messages on one connection, for checking what the proxy emits:
 * CRLF lines, no obs-fold, and exactly one framing per message (a single {@code Content-Length}
 * value, or {@code Transfer-Encoding} ending in {@code chunked}, never both). It says how many
 * messages the bytes hold, whether the last is complete, and the first violation, if any.
 */
final class Http1Framing {

    /** One message: its start line, its header lines, and whether all of its body was there. */
    record Message(String startLine, List<String> headers, boolean complete) {
        String header(String name) {
            for (String line : headers) {
                int colon = line.indexOf(':');
                if (line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }

        int status() {
            return Integer.parseInt(startLine.substring(9, 12));
        }
    }

    /** What a connection's bytes hold: {@code violation} is null when every message was well framed. */
    record Reading(List<Message> messages, String violation) {
        long completeCount() {
            return messages.stream().filter(Message::complete).count();
        }
    }

    private final byte[] bytes;
    private final boolean responses;
    private final boolean closed;
    /** For each response from the origin ({@code x-origin: 1}), in order: whether it answers a HEAD. */
    private final java.util.Deque<Boolean> originHeads;
    private int at;

    private Http1Framing(byte[] bytes, boolean responses, boolean closed, java.util.Deque<Boolean> originHeads) {
        this.bytes = bytes;
        this.responses = responses;
        this.closed = closed;
        this.originHeads = originHeads;
    }

    /** Reads requests; {@code closed}: the sender closed after these bytes. */
    static Reading requests(byte[] bytes, boolean closed) {
        return new Http1Framing(bytes, false, closed, new java.util.ArrayDeque<>()).read();
    }

    /** Reads responses to requests that were not HEAD. */
    static Reading responses(byte[] bytes, boolean closed) {
        return responses(bytes, closed, new java.util.ArrayDeque<>());
    }

    /**
     * Reads responses, where the origin's ({@code x-origin: 1}) answer requests that were HEAD as
     * {@code originHeads} says, in order: those carry no body whatever their length says.
     */
    static Reading responses(byte[] bytes, boolean closed, java.util.Deque<Boolean> originHeads) {
        return new Http1Framing(bytes, true, closed, originHeads).read();
    }

    private Reading read() {
        List<Message> messages = new ArrayList<>();
        while (at < bytes.length) {
            int headEnd = indexOf("\r\n\r\n", at);
            if (headEnd < 0) {
                messages.add(new Message(text(at, bytes.length), List.of(), false));
                return new Reading(messages, null);
            }
            String[] lines = text(at, headEnd).split("\r\n", -1);
            at = headEnd + 4;
            String violation = startLine(lines[0]);
            List<String> headers = new ArrayList<>();
            List<String> lengths = new ArrayList<>();
            List<String> codings = new ArrayList<>();
            for (int i = 1; i < lines.length && violation == null; i++) {
                String line = lines[i];
                int colon = line.indexOf(':');
                if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                    violation = "bare CR or LF in header line '" + line + "'";
                } else if (colon <= 0 || !isToken(line.substring(0, colon))) {
                    violation = "malformed header line '" + line + "'";
                } else {
                    headers.add(line);
                    String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).strip();
                    if (name.equals("content-length")) {
                        for (String part : value.split(",", -1)) {
                            lengths.add(part.strip());
                        }
                    } else if (name.equals("transfer-encoding")) {
                        for (String part : value.split(",", -1)) {
                            codings.add(part.strip().toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
            if (violation == null) {
                violation = framing(lengths, codings);
            }
            if (violation != null) {
                messages.add(new Message(lines[0], headers, false));
                return new Reading(messages, violation + " in message " + messages.size() + " ('" + lines[0] + "')");
            }
            int status = responses ? Integer.parseInt(lines[0].substring(9, 12)) : 0;
            boolean complete;
            String bodyViolation = null;
            boolean toHead = responses && status >= 200 && headers.stream().anyMatch(h -> h.equalsIgnoreCase("x-origin: 1"))
                    && Boolean.TRUE.equals(originHeads.poll());
            if (responses && (status < 200 || status == 204 || status == 304 || toHead)) {
                complete = true;
            } else if (!codings.isEmpty() && codings.get(codings.size() - 1).equals("chunked")) {
                int before = at;
                bodyViolation = chunks();
                complete = bodyViolation == null && at > before;
                if (bodyViolation != null && bodyViolation.isEmpty()) {
                    bodyViolation = null;
                }
            } else if (!lengths.isEmpty()) {
                long length = Long.parseLong(lengths.get(0));
                complete = bytes.length - at >= length;
                at = (int) Math.min(bytes.length, at + length);
            } else if (responses) {
                // Delimited by the close: complete only if the sender closed.
                complete = closed;
                at = bytes.length;
            } else {
                complete = true;
            }
            messages.add(new Message(lines[0], headers, complete));
            if (bodyViolation != null) {
                return new Reading(messages, bodyViolation + " in message " + messages.size());
            }
            if (!complete) {
                break;
            }
        }
        return new Reading(messages, null);
    }

    private String startLine(String line) {
        if (responses) {
            return line.matches("HTTP/1\\.[01] [0-9]{3} [^\\r\\n]*") ? null : "malformed status line";
        }
        // A target may carry DEL: HAProxy 2.6.12 forwards it (RequestHeadCheck), and it frames nothing.
        return line.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+ [^ \\x00-\\x1f]+ HTTP/1\\.[01]") ? null : "malformed request line";
    }

    private String framing(List<String> lengths, List<String> codings) {
        if (!lengths.isEmpty() && !codings.isEmpty()) {
            return "both Content-Length and Transfer-Encoding";
        }
        for (String length : lengths) {
            if (!length.matches("[0-9]{1,18}") || !length.equals(lengths.get(0))) {
                return "Content-Length " + lengths;
            }
        }
        if (!codings.isEmpty()) {
            boolean chunkedLast = codings.get(codings.size() - 1).equals("chunked");
            if (codings.contains("") || (codings.indexOf("chunked") >= 0 && !chunkedLast)
                    || codings.indexOf("chunked") != codings.lastIndexOf("chunked")
                    || (!responses && !chunkedLast)) {
                return "Transfer-Encoding " + codings;
            }
        }
        return null;
    }

    /** Skips a chunked body; null when complete, "" when cut short, else what is wrong. */
    private String chunks() {
        while (true) {
            int lineEnd = indexOf("\r\n", at);
            if (lineEnd < 0) {
                at = bytes.length;
                return "";
            }
            String line = text(at, lineEnd);
            int semicolon = line.indexOf(';');
            String size = semicolon < 0 ? line : line.substring(0, semicolon);
            if (!size.matches("[0-9A-Fa-f]{1,15}")) {
                return "bad chunk size '" + line + "'";
            }
            long length = Long.parseLong(size, 16);
            at = lineEnd + 2;
            if (length == 0) {
                // Trailers, then the empty line.
                while (true) {
                    int end = indexOf("\r\n", at);
                    if (end < 0) {
                        at = bytes.length;
                        return "";
                    }
                    boolean last = end == at;
                    at = end + 2;
                    if (last) {
                        return null;
                    }
                }
            }
            if (bytes.length - at < length + 2) {
                at = bytes.length;
                return "";
            }
            at += (int) length;
            if (bytes[at] != '\r' || bytes[at + 1] != '\n') {
                return "chunk data not followed by CRLF";
            }
            at += 2;
        }
    }

    private static boolean isToken(String name) {
        return name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    }

    private int indexOf(String needle, int from) {
        outer:
        for (int i = from; i <= bytes.length - needle.length(); i++) {
            for (int j = 0; j < needle.length(); j++) {
                if (bytes[i + j] != needle.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private String text(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
