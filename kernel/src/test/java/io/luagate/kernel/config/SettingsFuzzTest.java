package io.luagate.kernel.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the HOCON settings reader: any file is either loaded into {@link Settings} or refused
 * with {@link InvalidConfigException} whose every problem names the file (and line, when HOCON
 * knows it) and says what is wrong; no other exception escapes.
 *
 * <p>Under {@code ./mvnw verify} this replays the inputs in
 * {@code src/test/resources/io/luagate/kernel/config/SettingsFuzzTestInputs/settings/};
 * {@code bench/fuzz.sh} fuzzes it.
 */
class SettingsFuzzTest {

    private static final Path HOME = home();
    private static final Path FILE = HOME.resolve("fuzz.conf");

    private static Path home() {
        try {
            Path home = Files.createTempDirectory("settings-fuzz");
            home.toFile().deleteOnExit();
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void settings(byte[] input) throws IOException {
        Files.write(FILE, input);
        FILE.toFile().deleteOnExit();
        try {
            assertNotNull(ConfigLoader.load(FILE, HOME));
        } catch (InvalidConfigException refused) {
            assertFalse(refused.problems().isEmpty(), "refused without a problem");
            for (ConfigProblem problem : refused.problems()) {
                // Where: the user's file (a merge of it with a default counts), or the reference
                // a default came from; never a bare description such as "hardcoded value".
                assertTrue(problem.origin().startsWith(FILE.toString()) || problem.origin().contains("reference.conf"),
                        problem::toString);
                assertFalse(problem.message() == null || problem.message().isBlank(), problem::toString);
            }
        }
    }
}
