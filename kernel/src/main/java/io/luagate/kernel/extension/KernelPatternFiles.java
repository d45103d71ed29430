package io.luagate.kernel.extension;

import io.luagate.kernel.rule.map.AclStore;
import io.luagate.kernel.rule.map.MapStore;
import io.luagate.kernel.rule.map.Maps;
import io.luagate.kernel.rule.match.MatchMethod;
import io.luagate.kernel.rule.match.PatternException;
import io.luagate.spi.pattern.MatchTable;
import io.luagate.spi.pattern.PatternEntry;
import io.luagate.spi.pattern.PatternFile;
import io.luagate.spi.pattern.PatternFiles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** The kernel's map and ACL stores, for plugins: the same snapshots the rules read. */
public final class KernelPatternFiles implements PatternFiles {

    /** The methods HAProxy's Lua {@code Map.new} accepts. */
    private static final Set<MatchMethod> MAP_METHODS = Set.of(MatchMethod.INT, MatchMethod.IP, MatchMethod.STR,
            MatchMethod.BEG, MatchMethod.SUB, MatchMethod.DIR, MatchMethod.DOM, MatchMethod.END, MatchMethod.REG);

    private final Maps maps;

    public KernelPatternFiles(Maps maps) {
        this.maps = maps;
    }

    @Override
    public MatchTable map(String file, String method) {
        return table(file, method, false);
    }

    @Override
    public MatchTable loadedMap(String file, String method) {
        return table(file, method, true);
    }

    private MatchTable table(String file, String method, boolean loadedOnly) {
        MatchMethod match = MatchMethod.parse(method);
        if (match == null || !MAP_METHODS.contains(match)) {
            throw new IllegalArgumentException("match method '" + method + "' cannot look up a map");
        }
        MapStore store;
        try {
            store = loadedOnly ? loadedMap(file) : maps.map(file);
            store.view(match, MapStore.Output.STR);
        } catch (PatternException e) {
            throw new IllegalArgumentException(e.origin() + ": " + e.getMessage(), e);
        }
        return key -> store.lookup(match, match == MatchMethod.INT ? integerKey(key) : key);
    }

    private static Object integerKey(String key) {
        try {
            return Long.parseLong(key.trim());
        } catch (NumberFormatException e) {
            return key;
        }
    }

    @Override
    public void setMap(String file, String key, String value) {
        try {
            loadedMap(file).set(key, value);
        } catch (PatternException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public void delMap(String file, String key) {
        loadedMap(file).delete(key);
    }

    @Override
    public void addAcl(String file, String pattern) {
        try {
            loadedAcl(file).add(pattern);
        } catch (PatternException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public void delAcl(String file, String pattern) {
        loadedAcl(file).delete(pattern);
    }

    @Override
    public List<PatternFile> files() {
        List<PatternFile> files = new ArrayList<>();
        for (MapStore map : maps.maps()) {
            files.add(new PatternFile(map.id(), map.file().toString(), true, map.size()));
        }
        for (AclStore acl : maps.acls()) {
            files.add(new PatternFile(acl.id(), acl.file().toString(), false, acl.size()));
        }
        files.sort(Comparator.comparingInt(PatternFile::id));
        return files;
    }

    @Override
    public List<PatternEntry> entries(String file) {
        MapStore map = maps.findMap(file);
        return map != null ? map.listing() : loadedAcl(file).listing();
    }

    @Override
    public void append(String file, String key, String value) {
        try {
            MapStore map = maps.findMap(file);
            if (map != null) {
                map.add(key, value == null ? "" : value);
            } else {
                loadedAcl(file).append(key);
            }
        } catch (PatternException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public boolean replace(String file, String key, String value) {
        try {
            return loadedMap(file).replace(key, value);
        } catch (PatternException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public boolean replaceRef(String file, long ref, String value) {
        try {
            return loadedMap(file).replaceRef(ref, value);
        } catch (PatternException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public boolean remove(String file, String key) {
        MapStore map = maps.findMap(file);
        return map != null ? map.delete(key) : loadedAcl(file).delete(key);
    }

    @Override
    public boolean removeRef(String file, long ref) {
        MapStore map = maps.findMap(file);
        return map != null ? map.deleteRef(ref) : loadedAcl(file).deleteRef(ref);
    }

    @Override
    public void clear(String file) {
        MapStore map = maps.findMap(file);
        if (map != null) {
            map.clear();
        } else {
            loadedAcl(file).clear();
        }
    }

    private MapStore loadedMap(String file) {
        MapStore store = maps.findMap(file);
        if (store == null) {
            throw new IllegalArgumentException("'" + file + "' is not a map file loaded by the configuration");
        }
        return store;
    }

    private AclStore loadedAcl(String file) {
        AclStore store = maps.findAcl(file);
        if (store == null) {
            throw new IllegalArgumentException("'" + file + "' is not an ACL file loaded by the configuration");
        }
        return store;
    }
}
