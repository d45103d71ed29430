package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The smuggling and framing corpus ({@code src/test/resources/framing/*.txt}): raw request bytes
 * go to a real http frontend over a socket, a real origin answers raw bytes and records all it
 * received, and each case states what the client gets (status, whether the connection closes, bytes
 * it must contain) and what the origin received (nothing, or exactly one message with one framing).
 *
 * <p>Case format: {@code === name} starts a case; {@code key: value} lines follow, where values
 * take the escapes {@code \r \n \t \0 \\ \xHH}; a repeated {@code request:} line continues the
 * request; {@code request*N:} appends its text N times, {@code %d} numbered from 0. Keys: request,
 * origin (the server's answer; a plain 200 by default), origin-closes (yes: the server closes after
 * answering), status (of the first response; none: no response at all), closed (yes/no), client-has,
 * upstream (nothing, or the exact bytes), reused (yes/no: whether the server connection was
 * released as reusable). Lines starting with {@code #} are comments: they record what HAProxy
 * 2.6.12 answered to the same bytes.
 */
class FramingCorpusTest {

    private static final String PLAIN_200 = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    /** A client stops reading after this long without bytes (a kept-alive connection stays silent). */
    private static final int CLIENT_QUIET_MILLIS = 600;

    @TestFactory
    Stream<DynamicNode> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(FramingCorpusTest.class.getResource("/framing").toURI());
        List<DynamicNode> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                List<DynamicTest> cases = parse(file).stream()
                        .map(c -> DynamicTest.dynamicTest(c.get("name"), () -> run(c)))
                        .toList();
                assertFalse(cases.isEmpty(), file + " has no case");
                files.add(DynamicContainer.dynamicContainer(file.getFileName().toString(), cases));
            }
        }
        assertTrue(files.size() >= 5, "the corpus files were found");
        return files.stream();
    }

    private static void run(Map<String, String> c) throws Exception {
        String origin = c.getOrDefault("origin", PLAIN_200);
        try (CorpusOrigin server = new CorpusOrigin(origin, "yes".equals(c.get("origin-closes")));
                FakeKernel kernel = new FakeKernel(server.address())) {
            Exchange got = exchange(kernel.port(), c.get("request"));
            String name = c.get("name");
            String expectedStatus = c.get("status");
            if (expectedStatus != null) {
                assertEquals(expectedStatus, got.status(), name + ": status; client got " + escape(got.bytes));
            }
            if (c.containsKey("closed")) {
                assertEquals("yes".equals(c.get("closed")), got.closed, name + ": client connection closed");
            }
            if (c.containsKey("client-has")) {
                assertTrue(got.bytes.contains(c.get("client-has")), name + ": client got " + escape(got.bytes));
            }
            String upstream = c.get("upstream");
            if (upstream != null) {
                String received = server.received();
                assertEquals(upstream.equals("nothing") ? "" : upstream, received,
                        name + ": the origin received " + escape(received));
            }
            if (c.containsKey("reused")) {
                boolean reusable = !kernel.releasedReusable.isEmpty() && kernel.releasedReusable.get(0);
                assertEquals("yes".equals(c.get("reused")), reusable, name + ": server connection reusable");
            }
        }
    }

    /** What the client got: every byte until the proxy closed or stayed quiet. */
    private record Exchange(String bytes, boolean closed) {
        String status() {
            return bytes.length() >= 12 && bytes.startsWith("HTTP/1.") ? bytes.substring(9, 12) : "none";
        }
    }

    private static Exchange exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(CLIENT_QUIET_MILLIS);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            boolean closed;
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException quiet) {
                    closed = false;
                    break;
                } catch (IOException reset) {
                    closed = true;
                    break;
                }
                if (n < 0) {
                    closed = true;
                    break;
                }
                out.write(buf, 0, n);
            }
            return new Exchange(out.toString(StandardCharsets.ISO_8859_1), closed);
        }
    }

    static List<Map<String, String>> parse(Path file) throws IOException {
        List<Map<String, String>> cases = new ArrayList<>();
        Map<String, String> current = null;
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("=== ")) {
                current = new LinkedHashMap<>();
                current.put("name", line.substring(4).trim());
                cases.add(current);
                continue;
            }
            int colon = line.indexOf(": ");
            if (current == null || colon < 0) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": expected '=== name' or 'key: value'");
            }
            String key = line.substring(0, colon);
            String value = unescape(line.substring(colon + 2));
            int star = key.indexOf('*');
            if (star > 0) {
                int times = Integer.parseInt(key.substring(star + 1));
                key = key.substring(0, star);
                StringBuilder repeated = new StringBuilder();
                for (int i = 0; i < times; i++) {
                    repeated.append(value.replace("%d", Integer.toString(i)));
                }
                value = repeated.toString();
            }
            current.merge(key, value, String::concat);
        }
        return cases;
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case '0' -> out.append('\0');
                case '\\' -> out.append('\\');
                case 'x' -> {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e + " in " + text);
            }
        }
        return out.toString();
    }

    private static String escape(String bytes) {
        StringBuilder out = new StringBuilder();
        for (char c : bytes.toCharArray()) {
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
