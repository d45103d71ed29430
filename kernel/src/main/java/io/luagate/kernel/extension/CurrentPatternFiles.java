package io.luagate.kernel.extension;

import io.luagate.spi.pattern.MatchTable;
import io.luagate.spi.pattern.PatternEntry;
import io.luagate.spi.pattern.PatternFile;
import io.luagate.spi.pattern.PatternFiles;
import java.util.List;
import java.util.function.Supplier;

/**
 * The map and ACL files of the generation current at each call: what an extension that lives for
 * the process (a runtime API's {@code set map}, {@code show acl}) is given, so that after a reload
 * it reads and changes the files the running rules use, not those of the generation it was
 * configured with. Before the first generation is current, its own files.
 */
final class CurrentPatternFiles implements PatternFiles {

    private final Supplier<PatternFiles> current;
    private final PatternFiles first;

    CurrentPatternFiles(Supplier<PatternFiles> current, PatternFiles first) {
        this.current = current;
        this.first = first;
    }

    private PatternFiles now() {
        PatternFiles files = current.get();
        return files != null ? files : first;
    }

    @Override
    public MatchTable map(String file, String method) {
        return now().map(file, method);
    }

    @Override
    public MatchTable loadedMap(String file, String method) {
        return now().loadedMap(file, method);
    }

    @Override
    public void setMap(String file, String key, String value) {
        now().setMap(file, key, value);
    }

    @Override
    public void delMap(String file, String key) {
        now().delMap(file, key);
    }

    @Override
    public void addAcl(String file, String pattern) {
        now().addAcl(file, pattern);
    }

    @Override
    public void delAcl(String file, String pattern) {
        now().delAcl(file, pattern);
    }

    // HAProxy's runtime API calls: without these, the interface's defaults would answer "not loaded".

    @Override
    public List<PatternFile> files() {
        return now().files();
    }

    @Override
    public List<PatternEntry> entries(String file) {
        return now().entries(file);
    }

    @Override
    public void append(String file, String key, String value) {
        now().append(file, key, value);
    }

    @Override
    public boolean replace(String file, String key, String value) {
        return now().replace(file, key, value);
    }

    @Override
    public boolean replaceRef(String file, long ref, String value) {
        return now().replaceRef(file, ref, value);
    }

    @Override
    public boolean remove(String file, String key) {
        return now().remove(file, key);
    }

    @Override
    public boolean removeRef(String file, long ref) {
        return now().removeRef(file, ref);
    }

    @Override
    public void clear(String file) {
        now().clear(file);
    }
}
