package io.luagate.kernel.rule.map;

import io.luagate.kernel.rule.ConfigBytes;
import io.luagate.kernel.rule.match.PatternException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The map and pattern files of a configuration, each loaded once (by absolute, normalized path;
 * relative names resolve against {@link #home()}) and shared by every rule and every event loop.
 * As in HAProxy, a file is either a map (two columns) or a pattern file (one column), not both.
 *
 * <p>Loading happens while the configuration is compiled; {@link #findMap} and {@link #findAcl}
 * (for run-time updates by name) never load and never lock.
 */
public final class Maps {

    private final Path home;
    private final ConcurrentHashMap<Path, MapStore> maps = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Path, AclStore> acls = new ConcurrentHashMap<>();
    private final Object loading = new Object();
    /** The next {@code #<id>}: one sequence for maps and pattern files, as HAProxy numbers its pattern references. */
    private int nextId;

    public Maps(Path home) {
        this.home = home;
    }

    public Path home() {
        return home;
    }

    /** The absolute, normalized path of a file name, relative names being relative to {@link #home()}. */
    public Path resolve(String file) {
        return home.resolve(file).toAbsolutePath().normalize();
    }

    /** {@link #resolve}, with a name the file system refuses (a NUL byte...) reported as a problem of the file. */
    private Path checkedPath(String file) throws PatternException {
        try {
            return resolve(file);
        } catch (InvalidPathException e) {
            throw new PatternException(file, "not a file name (" + ConfigBytes.of(e.getReason()) + ")");
        }
    }

    /** The map file, loaded on first use. */
    public MapStore map(String file) throws PatternException {
        Path path = checkedPath(file);
        MapStore loaded = maps.get(path);
        if (loaded != null) {
            return loaded;
        }
        synchronized (loading) {
            loaded = maps.get(path);
            if (loaded == null) {
                if (acls.containsKey(path)) {
                    throw new PatternException(path.toString(), "the file '" + ConfigBytes.of(path.toString())
                            + "' is already used as a one-column pattern file and cannot be used as a two-column map file");
                }
                List<PatternFiles.Entry> entries = PatternFiles.readMap(path, path.toString());
                loaded = new MapStore(path, nextId++, entries);
                maps.put(path, loaded);
            }
            return loaded;
        }
    }

    /** The pattern file ({@code -f}), loaded on first use. */
    public AclStore acl(String file) throws PatternException {
        Path path = checkedPath(file);
        AclStore loaded = acls.get(path);
        if (loaded != null) {
            return loaded;
        }
        synchronized (loading) {
            loaded = acls.get(path);
            if (loaded == null) {
                if (maps.containsKey(path)) {
                    throw new PatternException(path.toString(), "the file '" + ConfigBytes.of(path.toString())
                            + "' is already used as a two-column map file and cannot be used as a one-column pattern file");
                }
                List<PatternFiles.Entry> entries = PatternFiles.readPatterns(path, path.toString());
                loaded = new AclStore(path, nextId++, entries);
                acls.put(path, loaded);
            }
            return loaded;
        }
    }

    /** Every loaded map file, in load order. */
    public List<MapStore> maps() {
        List<MapStore> list = new ArrayList<>(maps.values());
        list.sort(Comparator.comparingInt(MapStore::id));
        return list;
    }

    /** Every loaded pattern file, in load order. */
    public List<AclStore> acls() {
        List<AclStore> list = new ArrayList<>(acls.values());
        list.sort(Comparator.comparingInt(AclStore::id));
        return list;
    }

    /** The map file if it was loaded, else {@code null} (Lua's "unknown map file"). */
    public MapStore findMap(String file) {
        return maps.get(resolve(file));
    }

    /** The pattern file if it was loaded, else {@code null}. */
    public AclStore findAcl(String file) {
        return acls.get(resolve(file));
    }
}
