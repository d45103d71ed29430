package io.luagate.plugin.runtimeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.spi.pattern.MatchTable;
import io.luagate.spi.pattern.PatternEntry;
import io.luagate.spi.pattern.PatternFile;
import io.luagate.spi.pattern.PatternFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Map and ACL files named by a command's bytes, as HAProxy names them. */
class PatternCommandsTest {

    private static final Path HOME = Path.of("/srv/lg");
    private static final String MAP = "/srv/lg/caf\u00e9.map";

    /** One loaded map, {@code café.map}: the name is text, as the kernel's Maps keep it. */
    private static final PatternFiles FILES = new PatternFiles() {
        @Override
        public List<PatternFile> files() {
            return List.of(new PatternFile(0, MAP, true, 1));
        }

        @Override
        public List<PatternEntry> entries(String file) {
            if (!file.equals(MAP)) {
                throw new IllegalArgumentException(file);
            }
            return List.of(new PatternEntry(0x1f, "k", "v"));
        }

        @Override
        public MatchTable map(String file, String method) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MatchTable loadedMap(String file, String method) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setMap(String file, String key, String value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delMap(String file, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addAcl(String file, String pattern) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delAcl(String file, String pattern) {
            throw new UnsupportedOperationException();
        }
    };

    /** Runs {@code line} as the socket's bytes read it: one {@code char} per byte of its UTF-8. */
    private static String run(String line) {
        CommandTable table = new CommandTable();
        new PatternCommands(FILES, HOME).register(table);
        String bytes = new String(line.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        return table.run(CommandLine.words(bytes), null, new CliConnection(Level.USER));
    }

    private static String bytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aNonAsciiMapIsFoundByItsNameAndListedAsItsBytes() {
        assertEquals("0x1f k v\n", run("show map caf\u00e9.map"));
        assertEquals("0x1f k v\n", run("show map /srv/lg/caf\u00e9.map"));
        assertEquals(bytes("# id (file) description\n0 (" + MAP + ") pattern loaded from file '" + MAP
                + "' used by map. curr_ver=0 next_ver=0 entry_cnt=1\n"), run("show map"));
        assertEquals("Unknown map identifier. Please use #<id> or <file>.\n", run("show map cafe\u0301.map"));
    }
}
