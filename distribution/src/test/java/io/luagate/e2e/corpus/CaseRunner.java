package io.luagate.e2e.corpus;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

/**
 * Runs one case against a target: picks ports, writes the case's files, starts the upstreams and
 * the target, replays the requests and returns the recording text.
 */
final class CaseRunner {

    private CaseRunner() {
    }

    static String run(CorpusCase c, CorpusTarget target, Path workRoot) throws Exception {
        Queue<ReceivedRequest> inbox = new ConcurrentLinkedQueue<>();
        Path caseDir = workRoot.resolve(c.name());
        clean(caseDir);
        Files.createDirectories(caseDir);
        try (ServerSocket up1 = CaseUpstream.bind(); ServerSocket up2 = CaseUpstream.bind()) {
            int fe = freePort();
            int fe2 = freePort();
            Map<String, String> values = new LinkedHashMap<>();
            values.put("${CASE_DIR}", caseDir.toAbsolutePath().toString());
            values.put("${FE_PORT}", Integer.toString(fe));
            values.put("${FE_PORT2}", Integer.toString(fe2));
            values.put("${UPSTREAM_PORT}", Integer.toString(up1.getLocalPort()));
            values.put("${UPSTREAM2_PORT}", Integer.toString(up2.getLocalPort()));
            Map<String, String> placeholders = new LinkedHashMap<>();
            values.forEach((name, value) -> placeholders.put(value, name));
            for (Map.Entry<String, String> file : c.files().entrySet()) {
                Files.writeString(caseDir.resolve(file.getKey()), replace(file.getValue(), values));
            }
            Path config = caseDir.resolve("haproxy.cfg");
            Files.writeString(config, replace(c.config(), values) + "\n");
            RecordingWriter recording = new RecordingWriter(placeholders);
            try (CaseUpstream u1 = upstream(1, up1, c.upstreams()[0], values, inbox);
                 CaseUpstream u2 = upstream(2, up2, c.upstreams()[1], values, inbox)) {
                AutoCloseable running;
                try {
                    running = target.start(caseDir, config, c.config().contains("${FE_PORT}") ? fe : 0);
                } catch (CorpusTarget.StartFailed e) {
                    Files.writeString(caseDir.resolve("start-failed.txt"), e.getMessage() + "\n");
                    recording.startFailed();
                    return recording.text();
                }
                try (running) {
                    replay(c, values, fe, inbox, recording);
                }
            }
            return recording.text();
        }
    }

    private static void replay(CorpusCase c, Map<String, String> values, int port, Queue<ReceivedRequest> inbox,
                               RecordingWriter recording) throws IOException {
        CaseClient client = null;
        try {
            int number = 0;
            for (CorpusCase.RawSection section : c.requests()) {
                number++;
                CaseRequest request = new CaseRequest(
                        MessageText.bytes(replace(section.text(), values), section.escapes()),
                        section.keepAlive(), section.halfClose());
                if (client == null || !request.keepAlive()) {
                    if (client != null) {
                        client.close();
                    }
                    client = new CaseClient(port);
                }
                ClientResponse response = client.exchange(request);
                List<ReceivedRequest> received = new ArrayList<>();
                for (ReceivedRequest r; (r = inbox.poll()) != null; ) {
                    received.add(r);
                }
                recording.exchange(number, request, response, received);
            }
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    private static CaseUpstream upstream(int index, ServerSocket socket, CorpusCase.RawSection answer,
                                         Map<String, String> values, Queue<ReceivedRequest> inbox) {
        byte[] fixed = answer == null ? null : MessageText.bytes(replace(answer.text(), values), answer.escapes());
        return new CaseUpstream(index, socket, fixed, inbox);
    }

    static String replace(String text, Map<String, String> values) {
        for (Map.Entry<String, String> v : values.entrySet()) {
            text = text.replace(v.getKey(), v.getValue());
        }
        return text;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void clean(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
