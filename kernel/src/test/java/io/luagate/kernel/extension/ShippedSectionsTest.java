package io.luagate.kernel.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.Luagate;
import io.luagate.kernel.config.ConfigLoader;
import io.luagate.kernel.config.ConfigProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A section of a shipped plugin that is not installed names the plugin to install; any other is unknown. */
class ShippedSectionsTest {

    @TempDir
    Path dir;

    @Test
    void theSectionOfAMissingShippedPluginNamesIt() throws Exception {
        Path file = Files.writeString(dir.resolve("luagate.conf"), """
                admin { bind = "127.0.0.1:9901" }
                colours { red = 1 }
                frontends.fe { bind = ["127.0.0.1:1"], default-backend = be }
                backends.be { servers { a = "127.0.0.1:2" } }
                """);
        List<String> problems = Luagate.check(ConfigLoader.load(file, dir), dir).list().stream()
                .map(ConfigProblem::toString).filter(p -> p.contains(": admin: ") || p.contains(": colours: ")).toList();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.endsWith(":1: admin: needs the plugin 'admin', which is not installed in "
                + dir.resolve("plugins"))), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains(":2: colours: unknown key: neither the kernel nor an installed plugin"
                + " reads it")), problems.toString());
    }
}
