package io.luagate.kernel.rule.map;

import io.luagate.kernel.rule.map.PatternFiles.Entry;
import io.luagate.kernel.rule.match.IpAddresses;
import io.luagate.kernel.rule.match.MatchMethod;
import io.luagate.kernel.rule.match.Matcher;
import io.luagate.kernel.rule.match.Pattern;
import io.luagate.kernel.rule.match.PatternException;
import io.luagate.kernel.rule.match.PatternIndex;
import io.luagate.kernel.rule.match.Patterns;
import io.luagate.spi.sample.Samples;
import io.luagate.spi.pattern.PatternEntry;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A loaded map file, shared by every converter and ACL that names it, and updatable at run time
 * (Lua's {@code core.set_map}/{@code core.del_map}, an admin API).
 *
 * <p>Look-ups never lock: they read the current immutable snapshot. Which entry answers when
 * several match is HAProxy's (see {@link PatternIndex}): for {@code str} the exact key, for
 * {@code beg} the longest matching prefix and for {@code ip} the longest matching network (the
 * first of equal ones in each case), for every other method the first matching entry in file
 * order; entries added at run time come after those of the file.
 *
 * <p>Keys are checked for a match method, and values for an output type, when a converter is
 * compiled ({@link #view}); from then on an update that brings a key or value that cannot be read
 * that way is refused whole ({@link PatternException}), and nothing changes.
 */
public final class MapStore {

    /** The output type of a map converter ({@code map_beg} gives str, {@code map_beg_int} int...). */
    public enum Output {
        /** The value as it is written. */
        STR,
        /** The value as an integer (a {@link Long}): an optional sign and digits, all of it. */
        INT,
        /** The value as an address (an {@link java.net.InetAddress}). */
        IP
    }

    /** A compiled look-up: one match method and output type, always reading the current entries. */
    @FunctionalInterface
    public interface Lookup {

        /**
         * @param key      the sample to look up (never {@code null})
         * @param fallback what to return when no entry matches
         * @return the value of the matching entry ({@link String}, {@link Long} or
         *         {@link java.net.InetAddress} by output type), {@code fallback} when none matches,
         *         or {@code null} when the key cannot be cast to what the match method needs (an
         *         address for ip, an integer for int): HAProxy's converter then fails rather than
         *         giving its default
         */
        Object get(Object key, Object fallback);
    }

    private static final EntryStore.ValueParser[] PARSERS = {
        value -> value,
        value -> Samples.parseInt64(value),
        value -> IpAddresses.parseInetAddress(value),
    };

    private final Path file;
    private final int id;
    final EntryStore store;

    MapStore(Path file, int id, List<Entry> entries) {
        this.file = file;
        this.id = id;
        this.store = new EntryStore(file.toString(), Patterns.Source.MAP_KEYS, entries, PARSERS);
    }

    /**
     * Its number, unique among the maps and pattern files of the configuration and given in load
     * order from 0: HAProxy's {@code #<id>} of {@code show map} and {@code show acl}.
     */
    public int id() {
        return id;
    }

    /** The file, absolute and normalized. */
    public Path file() {
        return file;
    }

    /**
     * Compiles a look-up once, at load: checks every key for the match method and every value for
     * the output type, so that a bad line is reported now, with its {@code file:line}.
     */
    public Lookup view(MatchMethod method, Output output) throws PatternException {
        if (!method.takesPatterns()) {
            throw new PatternException(file.toString(), "maps cannot use the match method '"
                    + method.name().toLowerCase(java.util.Locale.ROOT) + "'");
        }
        int slot = store.prepareIndex(method, false);
        int out = output.ordinal();
        store.prepareValues(out);
        return (key, fallback) -> {
            EntryStore.Snapshot s = store.snapshot();
            int found = store.find(s, slot, key);
            if (found >= 0) {
                return store.value(s, out, found);
            }
            return found == PatternIndex.NO_SAMPLE ? null : fallback;
        };
    }

    /**
     * The value of the entry matching {@code key} with {@code method}, or {@code null}. Prefer a
     * {@link #view} compiled at load: the first call for a method compiles its index (and takes
     * the update lock, once).
     *
     * @throws IllegalStateException if the keys cannot be read with this method
     */
    public String lookup(MatchMethod method, Object key) {
        int slot;
        try {
            slot = store.prepareIndex(method, false);
        } catch (PatternException e) {
            throw new IllegalStateException(e.origin() + ": " + e.getMessage(), e);
        }
        EntryStore.Snapshot s = store.snapshot();
        int found = store.find(s, slot, key);
        return found >= 0 ? s.entries.get(found).value() : null;
    }

    /**
     * The keys as an ACL's patterns ({@code acl ... -M -f file}), live: the matcher sees later
     * updates.
     */
    public Matcher matcher(MatchMethod method, boolean ignoreCase) throws PatternException {
        int slot = store.prepareIndex(method, ignoreCase);
        return sample -> store.find(store.snapshot(), slot, sample) >= 0;
    }

    /**
     * Lua's {@code core.set_map}: gives every entry whose key is exactly {@code key} the new value,
     * or adds the entry at the end when there is none.
     *
     * @throws PatternException if the key or value cannot be read as a converter of this map needs;
     *                          then nothing changes
     */
    public void set(String key, String value) throws PatternException {
        store.update(entries -> {
            List<Entry> updated = new ArrayList<>(entries.size() + 1);
            boolean found = false;
            for (Entry e : entries) {
                if (e.pattern().text().equals(key)) {
                    updated.add(e.withValue(value));
                    found = true;
                } else {
                    updated.add(e);
                }
            }
            if (!found) {
                updated.add(new Entry(new Pattern(key, store.runtimeOrigin()), value));
            }
            return updated;
        });
    }

    /** HAProxy's {@code add map}: adds an entry at the end, even if the key is already there. */
    public void add(String key, String value) throws PatternException {
        store.append(key, value);
    }

    /**
     * HAProxy's {@code set map <map> <key> <value>}: gives every entry whose key is exactly
     * {@code key} the new value, and adds none.
     *
     * @return whether an entry had the key
     * @throws PatternException if a converter of this map cannot read the value; then nothing changes
     */
    public boolean replace(String key, String value) throws PatternException {
        boolean[] found = {false};
        store.update(entries -> {
            List<Entry> updated = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                if (e.pattern().text().equals(key)) {
                    updated.add(e.withValue(value));
                    found[0] = true;
                } else {
                    updated.add(e);
                }
            }
            return found[0] ? updated : entries;
        });
        return found[0];
    }

    /** HAProxy's {@code set map <map> #<ref> <value>}; false if no entry has that ref. */
    public boolean replaceRef(long ref, String value) throws PatternException {
        return store.replaceRef(ref, value);
    }

    /** HAProxy's {@code del map <map> #<ref>}; false if no entry has that ref. */
    public boolean deleteRef(long ref) {
        return store.deleteRef(ref);
    }

    /** The entries now, in order, with their refs. */
    public List<PatternEntry> listing() {
        return store.listing();
    }

    /** Lua's {@code core.del_map}: removes every entry whose key is exactly {@code key}; false if none. */
    public boolean delete(String key) {
        boolean[] found = {false};
        try {
            store.update(entries -> {
                List<Entry> kept = new ArrayList<>(entries.size());
                for (Entry e : entries) {
                    if (e.pattern().text().equals(key)) {
                        found[0] = true;
                    } else {
                        kept.add(e);
                    }
                }
                return found[0] ? kept : entries;
            });
        } catch (PatternException e) {
            throw new IllegalStateException("removing entries cannot make others invalid", e);
        }
        return found[0];
    }

    /** Removes every entry. */
    public void clear() {
        try {
            store.update(entries -> entries.isEmpty() ? entries : List.of());
        } catch (PatternException e) {
            throw new IllegalStateException("an empty map cannot be invalid", e);
        }
    }

    /** The entries (key, value) in order, as of now. */
    public List<Map.Entry<String, String>> entries() {
        List<Entry> entries = store.snapshot().entries;
        List<Map.Entry<String, String>> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(new AbstractMap.SimpleImmutableEntry<>(e.pattern().text(), e.value()));
        }
        return out;
    }

    public int size() {
        return store.snapshot().entries.size();
    }

    @Override
    public String toString() {
        return "map " + file;
    }
}
