package io.luagate.e2e.corpus;

import io.luagate.e2e.support.InProcessProxy;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * luagate in the test's JVM on what the HAProxy importer makes of the case's haproxy.cfg. A case
 * whose configuration the importer cannot fully translate fails: the corpus tests the importer
 * and the engine together.
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

    /**
     * HaproxyImporter.translate(cfg, baseDir) -> ImportResult(hocon, unsupported). Called by
     * reflection while the importer is being written on its own branch, so the corpus builds
     * without it; once both are merged a direct call can replace this.
     */
    private static String translate(Path config, Path baseDir) throws Exception {
        Class<?> importer;
        try {
            importer = Class.forName("io.luagate.kernel.importer.HaproxyImporter");
        } catch (ClassNotFoundException e) {
            throw new AssertionError("io.luagate.kernel.importer.HaproxyImporter is not in this build");
        }
        Method translate = importer.getMethod("translate", Path.class, Path.class);
        Object result = translate.invoke(null, config, baseDir);
        String hocon = (String) result.getClass().getMethod("hocon").invoke(result);
        List<?> unsupported = (List<?>) result.getClass().getMethod("unsupported").invoke(result);
        if (!unsupported.isEmpty()) {
            throw new AssertionError("the importer does not support: " + unsupported);
        }
        return hocon;
    }
}
