package io.luagate.e2e.corpus;

import io.luagate.e2e.support.InProcessProxy;
import io.luagate.kernel.importer.HaproxyImporter;
import io.luagate.kernel.importer.ImportResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * luagate in the test's JVM on what the HAProxy importer makes of the case's haproxy.cfg. A case
 * whose configuration the importer cannot fully translate fails (unless tagged "differs:"): the
 * corpus tests the importer and the engine together.
 */
final class LuagateTarget implements CorpusTarget {

    @Override
    public AutoCloseable start(Path caseDir, Path config, int port) throws Exception {
        String hocon = translate(config, caseDir);
        Files.writeString(caseDir.resolve("luagate.conf"), hocon);
        try {
            return InProcessProxy.start(hocon);
        } catch (RuntimeException e) {
            throw new StartFailed("luagate refused the imported configuration: " + e);
        }
    }

    private static String translate(Path config, Path baseDir) throws Exception {
        ImportResult result = HaproxyImporter.translate(config, baseDir);
        if (!result.unsupported().isEmpty()) {
            throw new UnsupportedConfig(result.unsupported());
        }
        return result.hocon();
    }

    /** The importer left lines of the case's configuration untranslated. */
    static final class UnsupportedConfig extends AssertionError {
        private static final long serialVersionUID = 1L;

        UnsupportedConfig(List<String> lines) {
            super("the importer does not support:\n  " + String.join("\n  ", lines));
        }
    }
}
