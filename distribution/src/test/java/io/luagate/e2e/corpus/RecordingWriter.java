package io.luagate.e2e.corpus;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The normaliser: writes what a case's client and upstreams saw as a stable, line-per-fact text
 * (the .recording format, described in the corpus README). Ports and the case directory, which
 * change from run to run, are written back as their placeholders.
 */
final class RecordingWriter {

    private final StringBuilder out = new StringBuilder();
    private final Map<String, String> placeholders;

    /** @param placeholders value -> placeholder name, e.g. "41234" -> "${FE_PORT}" */
    RecordingWriter(Map<String, String> placeholders) {
        this.placeholders = placeholders;
    }

    void startFailed() {
        out.append("start failed\n");
    }

    void exchange(int number, CaseRequest request, ClientResponse response, List<ReceivedRequest> received) {
        out.append("--- request ").append(number).append(request.keepAlive() ? " (same connection)" : "").append('\n');
        for (HttpHead interim : response.interim()) {
            out.append("interim ").append(interim.startLine()).append('\n');
            headers(interim);
        }
        if (response.head() == null) {
            out.append("status none\n");
        } else {
            out.append("status ").append(response.head().startLine()).append('\n');
            headers(response.head());
        }
        out.append("framing ").append(response.framing()).append('\n');
        body("body", response.body());
        out.append("timing ").append(response.timing()).append('\n');
        out.append("closed ").append(response.closed() ? "yes" : "no").append('\n');
        for (ReceivedRequest up : received) {
            out.append("upstream ").append(up.upstream()).append(' ').append(up.requestLine()).append('\n');
            for (String line : up.headerLines()) {
                out.append("upstream-header ").append(line).append('\n');
            }
            body("upstream-body", up.body());
        }
    }

    private void headers(HttpHead head) {
        for (String line : head.lines()) {
            int colon = line.indexOf(':');
            String name = (colon < 0 ? line : line.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
            if (name.equals("date")) {
                continue;
            }
            String value = colon < 0 ? "" : line.substring(colon + 1).strip();
            out.append("header ").append(name).append(": ").append(value).append('\n');
        }
    }

    /** Text bodies line by line after "| ", CR and backslash escaped; anything else in hex. */
    private void body(String label, byte[] body) {
        if (body.length == 0) {
            out.append(label).append(" empty\n");
            return;
        }
        String text = text(body);
        if (text == null) {
            out.append(label).append(" hex ").append(body.length).append(" bytes\n");
            String hex = HexFormat.of().formatHex(body);
            for (int i = 0; i < hex.length(); i += 64) {
                out.append("| ").append(hex, i, Math.min(hex.length(), i + 64)).append('\n');
            }
            return;
        }
        out.append(label).append(" text\n");
        String escaped = text.replace("\\", "\\\\").replace("\r", "\\r");
        boolean endsWithNewline = escaped.endsWith("\n");
        String[] lines = (endsWithNewline ? escaped.substring(0, escaped.length() - 1) : escaped).split("\n", -1);
        for (String line : lines) {
            out.append("| ").append(line).append('\n');
        }
        if (!endsWithNewline) {
            out.append("\\ no newline at end\n");
        }
    }

    private static String text(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f) {
                    return null;
                }
            }
            return text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    String text() {
        String text = out.toString();
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            text = placeholder(p.getKey()).matcher(text).replaceAll(Matcher.quoteReplacement(p.getValue()));
        }
        return text;
    }

    /**
     * A port is replaced only where it stands as a number of its own: inside a longer run of
     * digits or hex (a hex dump of a body, say) it is data that happens to contain those digits,
     * and replacing it there made a recording depend on the ports picked for the run.
     */
    private static Pattern placeholder(String value) {
        String quoted = Pattern.quote(value);
        boolean number = !value.isEmpty() && value.chars().allMatch(Character::isDigit);
        return Pattern.compile(number ? "(?<![0-9A-Za-z])" + quoted + "(?![0-9A-Za-z])" : quoted);
    }
}
