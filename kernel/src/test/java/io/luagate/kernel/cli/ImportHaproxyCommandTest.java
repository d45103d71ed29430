package io.luagate.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code luagate import-haproxy} through picocli, as bin/luagate runs it: output, stderr and exit status. */
class ImportHaproxyCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new LuagateCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private Path cfg(String text) throws Exception {
        return Files.writeString(dir.resolve("haproxy.cfg"), text);
    }

    @Test
    void aFullTranslationGoesToStdoutWithExitZero() throws Exception {
        Path cfg = cfg("""
                frontend web
                  mode http
                  bind 127.0.0.1:18080
                  timeout client 5s
                """);
        assertEquals(0, run("import-haproxy", cfg.toString()), err.toString());
        assertTrue(out.toString().contains("\"127.0.0.1:18080\""), out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void untranslatedLinesExitOneAndTheFileIsStillWritten() throws Exception {
        Path cfg = cfg("""
                frontend web
                  mode http
                  bind 127.0.0.1:18080
                  timeout client 5s
                  compression algo gzip
                """);
        Path output = dir.resolve("luagate.conf");
        assertEquals(1, run("import-haproxy", cfg.toString(), "-o", output.toString()));
        assertEquals("haproxy.cfg:5: compression: not supported\n", err.toString().replace("\r", ""));
        assertEquals("", out.toString());
        String written = Files.readString(output);
        assertTrue(written.contains("# haproxy.cfg:5: compression: not supported: compression algo gzip"), written);
        assertTrue(written.contains("\"127.0.0.1:18080\""), written);
    }

    @Test
    void aMissingFileOrBadUsageExitsTwo() {
        assertEquals(2, run("import-haproxy", dir.resolve("none.cfg").toString()));
        assertTrue(err.toString().contains("none.cfg: no such file"), err.toString());
        assertEquals(2, run("import-haproxy"));
        assertEquals(2, run("import-haproxy", "a.cfg", "--bogus"));
    }
}
