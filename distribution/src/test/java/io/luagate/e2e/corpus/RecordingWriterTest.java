package io.luagate.e2e.corpus;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordingWriterTest {

    @Test
    void portsBecomePlaceholdersOnlyWhereTheyStandAlone() {
        RecordingWriter writer = new RecordingWriter(Map.of("46383", "${UPSTREAM2_PORT}"));
        // A binary body whose hex dump happens to hold the port's digits, as in a CI run that
        // picked 46383: "...4539464638300a..." must stay as it is.
        byte[] body = HexFormat.of().parseHex("e9ff80ff0a4539464638300a0a");
        HttpHead head = new HttpHead("HTTP/1.1 200 OK", List.of("x-server: 127.0.0.1:46383"));
        writer.exchange(1, new CaseRequest("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false, false),
                new ClientResponse(List.of(), head, "length", body, "fast", false), List.of());

        String text = writer.text();

        assertTrue(text.contains("header x-server: 127.0.0.1:${UPSTREAM2_PORT}\n"), text);
        assertTrue(text.contains("4539464638300a0a"), text);
    }
}
