package io.luagate.kernel.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.rule.map.Maps;
import io.luagate.kernel.rule.match.MatchMethod;
import io.luagate.kernel.rule.match.Matcher;
import io.luagate.spi.pattern.MatchTable;
import io.luagate.spi.pattern.PatternEntry;
import io.luagate.spi.pattern.PatternFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime API's view of the map and ACL files: ids, entry refs, and updates by key or by ref. */
class KernelPatternFilesTest {

    @TempDir
    Path home;

    @Test
    void listsFilesWithOneSequenceOfIdsInLoadOrder() throws Exception {
        Files.writeString(home.resolve("blocked.acl"), "10.0.0.1\n192.168.0.0/16\n");
        Files.writeString(home.resolve("hosts.map"), "foo.example be1\nbar.example be2\n");
        Maps maps = new Maps(home);
        maps.acl("blocked.acl");
        maps.map("hosts.map");
        KernelPatternFiles files = new KernelPatternFiles(maps);
        assertEquals(List.of(new PatternFile(0, home.resolve("blocked.acl").toString(), false, 2),
                new PatternFile(1, home.resolve("hosts.map").toString(), true, 2)), files.files());
    }

    @Test
    void mapEntriesKeepTheirRefThroughANewValue() throws Exception {
        Files.writeString(home.resolve("hosts.map"), "foo.example be1\nbar.example be2\n");
        Maps maps = new Maps(home);
        maps.map("hosts.map");
        KernelPatternFiles files = new KernelPatternFiles(maps);
        MatchTable table = files.loadedMap("hosts.map", "str");
        List<PatternEntry> before = files.entries("hosts.map");
        assertEquals(2, before.size());
        assertNotEquals(before.get(0).ref(), before.get(1).ref());

        assertTrue(files.replace("hosts.map", "foo.example", "be9"));
        assertFalse(files.replace("hosts.map", "nokey", "be9"), "set map adds nothing");
        assertEquals(before.get(0).ref(), files.entries("hosts.map").get(0).ref());
        assertEquals("be9", table.lookup("foo.example"));

        assertTrue(files.replaceRef("hosts.map", before.get(1).ref(), "be7"));
        assertEquals("be7", table.lookup("bar.example"));
        assertFalse(files.replaceRef("hosts.map", 0x123456789L, "x"));

        files.append("hosts.map", "foo.example", "dup");
        assertEquals(3, files.entries("hosts.map").size(), "add map appends a key already there");
        assertTrue(files.removeRef("hosts.map", before.get(0).ref()));
        assertEquals("dup", table.lookup("foo.example"));
        assertTrue(files.remove("hosts.map", "foo.example"));
        assertFalse(files.remove("hosts.map", "foo.example"));
        assertNull(table.lookup("foo.example"));

        files.clear("hosts.map");
        assertEquals(List.of(), files.entries("hosts.map"));
        assertNull(table.lookup("bar.example"));
    }

    @Test
    void aclPatternsAreCheckedAndSeenByMatchers() throws Exception {
        Files.writeString(home.resolve("blocked.acl"), "10.0.0.1\n");
        Maps maps = new Maps(home);
        Matcher matcher = maps.acl("blocked.acl").matcher(MatchMethod.IP, false);
        KernelPatternFiles files = new KernelPatternFiles(maps);
        files.append("blocked.acl", "1.2.3.4", null);
        files.append("blocked.acl", "1.2.3.4", null);
        assertEquals(3, files.entries("blocked.acl").size(), "add acl appends even a pattern already there");
        assertThrows(IllegalArgumentException.class, () -> files.append("blocked.acl", "notanip", null));
        assertEquals(3, files.entries("blocked.acl").size());
        long ref = files.entries("blocked.acl").get(0).ref();
        assertTrue(files.removeRef("blocked.acl", ref));
        assertTrue(files.remove("blocked.acl", "1.2.3.4"));
        assertEquals(List.of(), files.entries("blocked.acl"));
        assertThrows(IllegalArgumentException.class, () -> files.entries("nothing.acl"));
        assertFalse(matcher.matches(java.net.InetAddress.getByName("10.0.0.1")));
    }
}
