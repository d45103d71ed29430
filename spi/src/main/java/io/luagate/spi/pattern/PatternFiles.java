package io.luagate.spi.pattern;

/**
 * The map and ACL files of the configuration, shared by every event loop. Updates are atomic
 * snapshots: a reader never waits for a writer (HAProxy's {@code set map} / {@code add acl}).
 * Files are named as in the rules, relative to the distribution's home.
 */
public interface PatternFiles {

    /**
     * Loads (or finds) the map file {@code file} and looks it up with match method {@code method}
     * ({@code str}, {@code beg}, {@code sub}, {@code dir}, {@code dom}, {@code end}, {@code reg},
     * {@code int}, {@code ip}).
     *
     * @throws IllegalArgumentException when the file cannot be loaded or the method is unknown
     */
    MatchTable map(String file, String method);

    /**
     * The map file {@code file} if the configuration (or an earlier {@link #map}) loaded it, looked up
     * with {@code method}; never reads a file, so it may be called on an event loop.
     *
     * @throws IllegalArgumentException when the file is not loaded or the method is unknown
     */
    MatchTable loadedMap(String file, String method);

    /** Sets (or adds) {@code key} in a loaded map. @throws IllegalArgumentException for an unknown map or a bad key */
    void setMap(String file, String key, String value);

    /** Removes {@code key} from a loaded map. @throws IllegalArgumentException for an unknown map */
    void delMap(String file, String key);

    /** Adds a pattern to a loaded ACL file. @throws IllegalArgumentException for an unknown file or a bad pattern */
    void addAcl(String file, String pattern);

    /** Removes a pattern from a loaded ACL file. @throws IllegalArgumentException for an unknown file */
    void delAcl(String file, String pattern);
}
