package io.luagate.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which command lines are served without picocli, and which file each names. */
class PlainRunLineTest {

    @Test
    void runWithOrWithoutOneConfigOption() {
        Path file = Path.of("my.conf").toAbsolutePath().normalize();
        assertEquals(Home.config(null), PlainRunLine.config(new String[] {"run"}));
        assertEquals(file, PlainRunLine.config(new String[] {"run", "-c", "my.conf"}));
        assertEquals(file, PlainRunLine.config(new String[] {"run", "--config", "my.conf"}));
        assertEquals(file, PlainRunLine.config(new String[] {"run", "--config=my.conf"}));
        assertEquals(Path.of("/etc/luagate/a.conf"), PlainRunLine.config(new String[] {"run", "-c", "/etc/luagate/../luagate/a.conf"}));
    }

    @Test
    void everythingElseGoesToPicocli() {
        String[][] lines = {
            {}, {"check"}, {"check", "-c", "my.conf"}, {"--help"}, {"-V"}, {"run", "--help"}, {"run", "-h"},
            {"run", "-c"}, {"run", "-c", "a.conf", "-c", "b.conf"}, {"run", "-cmy.conf"}, {"run", "-c=my.conf"},
            {"run", "--config", "--help"}, {"run", "-c", "-x"}, {"run", "-c", ""}, {"run", "--config="},
            {"run", "-c", "@args.txt"}, {"run", "--config=@args.txt"}, {"run", "extra"}, {"run", "my.conf", "-c"},
            {"RUN"}, {"@args.txt"}, {"run", "--colour"},
        };
        for (String[] line : lines) {
            assertNull(PlainRunLine.config(line), String.join(" ", line));
        }
    }
}
