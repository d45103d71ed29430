package io.luagate.spi.pattern;

import java.util.List;

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

    /*
     * HAProxy's runtime API (show/add/set/del/clear map and acl). A file is named by its
     * PatternFile.file() or as in the rules; one not loaded is an IllegalArgumentException. The
     * defaults describe an instance that loaded no file.
     */

    /** Every loaded map and ACL file, in load order (by {@link PatternFile#id()}). */
    default List<PatternFile> files() {
        return List.of();
    }

    /** The entries of a loaded map or ACL file now, in order. */
    default List<PatternEntry> entries(String file) {
        throw notLoaded(file);
    }

    /**
     * Appends an entry even when its key is there already (HAProxy's {@code add map}, {@code add
     * acl}); {@code value} is {@code null} for an ACL file.
     *
     * @throws IllegalArgumentException for an unknown file, or a key or value a rule using the file
     *                                  cannot read (then nothing changes)
     */
    default void append(String file, String key, String value) {
        throw notLoaded(file);
    }

    /**
     * Gives every entry of a map whose key is exactly {@code key} the new value, adding none
     * (HAProxy's {@code set map}).
     *
     * @return whether an entry had that key
     * @throws IllegalArgumentException for an unknown map, or a value a rule cannot read
     */
    default boolean replace(String file, String key, String value) {
        throw notLoaded(file);
    }

    /**
     * Gives the entry {@code ref} of a map the new value (HAProxy's {@code set map <map> #<ref>}).
     *
     * @return whether the map had that entry
     */
    default boolean replaceRef(String file, long ref, String value) {
        throw notLoaded(file);
    }

    /** Removes every entry whose key is exactly {@code key}; false if none. */
    default boolean remove(String file, String key) {
        throw notLoaded(file);
    }

    /** Removes the entry {@code ref}; false if the file has no such entry. */
    default boolean removeRef(String file, long ref) {
        throw notLoaded(file);
    }

    /** Removes every entry of a loaded map or ACL file. */
    default void clear(String file) {
        throw notLoaded(file);
    }

    private static IllegalArgumentException notLoaded(String file) {
        return new IllegalArgumentException("'" + file + "' is not a map or ACL file loaded by the configuration");
    }
}
