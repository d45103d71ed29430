package io.luagate.e2e.corpus;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The HAProxy 2.6 differential corpus: every case under src/test/corpus/cases runs through luagate
 * and must give what the committed recording of the real HAProxy says; a case tagged "differs:"
 * must still differ. With {@code -Dcorpus.record=true} (record.sh) the same runner records the
 * real HAProxy instead. {@code -Dcorpus.cases=<glob>} limits the run ("rules-*&#47;*").
 */
class HaproxyCorpusIT {

    private static final Path CASES = Path.of("src/test/corpus/cases");
    private static final Path WORK = Path.of("target/corpus").toAbsolutePath();
    /** The differs-tagged cases that now match HAProxy, one name a line (see fixed.sh). */
    static final Path NOW_PASSING = WORK.resolve("now-passing.txt");

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        boolean record = Boolean.getBoolean("corpus.record");
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + System.getProperty("corpus.cases", "**"));
        Files.createDirectories(WORK);
        Files.deleteIfExists(NOW_PASSING);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CASES)) {
            files = walk.filter(p -> p.toString().endsWith(".case")).sorted().toList();
        }
        return files.stream()
                .filter(file -> glob.matches(Path.of(CaseReader.name(CASES, file))))
                .map(file -> DynamicTest.dynamicTest(CaseReader.name(CASES, file), file.toUri(), () -> {
                    // Read inside the test, so that a malformed case fails alone.
                    CorpusCase c = CaseReader.read(CASES, file);
                    if (record) {
                        record(c);
                    } else {
                        check(c);
                    }
                }));
    }

    private static void record(CorpusCase c) throws Exception {
        String recording = CaseRunner.run(c, new HaproxyTarget(), WORK.resolve("haproxy"));
        Files.writeString(c.recording(), recording);
    }

    private static void check(CorpusCase c) throws Exception {
        if (!Files.exists(c.recording())) {
            fail(c.name() + " has no recording: run distribution/src/test/corpus/record.sh '" + c.name() + "'");
        }
        String expected = Files.readString(c.recording());
        String actual;
        try {
            actual = CaseRunner.run(c, new LuagateTarget(), WORK.resolve("luagate"));
        } catch (LuagateTarget.UnsupportedConfig e) {
            if (c.differs() == null) {
                throw e;
            }
            return; // still differs: luagate cannot run the case yet
        }
        if (c.differs() == null) {
            if (!expected.equals(actual)) {
                fail(c.name() + " (" + c.summary() + ") differs from HAProxy 2.6 (- HAProxy, + luagate):\n"
                        + LineDiff.of(expected, actual));
            }
        } else if (expected.equals(actual)) {
            Files.writeString(NOW_PASSING, c.name() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            fail(c.name() + " now gives what HAProxy 2.6 gives: remove its '# differs: " + c.differs() + "' line");
        }
    }
}
