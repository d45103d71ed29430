package io.luagate.kernel.rule.map;

import io.luagate.kernel.rule.map.PatternFiles.Entry;
import io.luagate.kernel.rule.match.MatchMethod;
import io.luagate.kernel.rule.match.Pattern;
import io.luagate.kernel.rule.match.PatternException;
import io.luagate.kernel.rule.match.PatternIndex;
import io.luagate.kernel.rule.match.Patterns;
import io.luagate.spi.pattern.PatternEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The entries of one pattern or map file and what is compiled from them, as an immutable
 * {@link Snapshot} published through a volatile field: look-ups read the field once and never
 * lock. Updates are serialized by {@link #lock}, which look-ups never take: an update copies the
 * entries, recompiles every index and value array in use (so that a bad entry is refused before
 * anything changes, as HAProxy rolls back a failed add or set), then publishes the new snapshot.
 */
final class EntryStore {

    /** Parses the value of a map entry for one output type; {@code null} if it cannot. */
    @FunctionalInterface
    interface ValueParser {
        Object parse(String value);
    }

    private static final int INDEX_SLOTS = MatchMethod.values().length * 2;

    /** An immutable state of the file: its entries and what has been compiled from them. */
    static final class Snapshot {
        final List<Entry> entries;
        final List<Pattern> patterns;
        final PatternIndex[] indexes;
        final Object[][] values;

        Snapshot(List<Entry> entries, List<Pattern> patterns, PatternIndex[] indexes, Object[][] values) {
            this.entries = entries;
            this.patterns = patterns;
            this.indexes = indexes;
            this.values = values;
        }
    }

    private static List<Pattern> patternsOf(List<Entry> entries) {
        List<Pattern> list = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            list.add(e.pattern());
        }
        return List.copyOf(list);
    }

    final String name;
    private final Patterns.Source source;
    private final ValueParser[] parsers;
    /** Serializes updates and preparations; never taken by a look-up. Package-visible for tests. */
    final ReentrantLock lock = new ReentrantLock();
    private volatile Snapshot current;

    EntryStore(String name, Patterns.Source source, List<Entry> entries, ValueParser... parsers) {
        this.name = name;
        this.source = source;
        this.parsers = parsers;
        List<Entry> copy = List.copyOf(entries);
        this.current = new Snapshot(copy, patternsOf(copy), new PatternIndex[INDEX_SLOTS], new Object[parsers.length][]);
    }

    Snapshot snapshot() {
        return current;
    }

    static int slot(MatchMethod method, boolean ignoreCase) {
        return method.ordinal() * 2 + (ignoreCase ? 1 : 0);
    }

    private PatternIndex compile(int slot, List<Pattern> patterns) throws PatternException {
        return Patterns.index(MatchMethod.values()[slot / 2], patterns, slot % 2 == 1, source);
    }

    private Object[] parseValues(int output, List<Entry> entries) throws PatternException {
        Object[] parsed = new Object[entries.size()];
        for (int i = 0; i < parsed.length; i++) {
            Entry e = entries.get(i);
            parsed[i] = parsers[output].parse(e.value());
            if (parsed[i] == null) {
                throw new PatternException(e.pattern().origin(), "unable to parse '" + e.value() + "'");
            }
        }
        return parsed;
    }

    /**
     * Compiles the index of a match method (at load), and keeps it compiled through every later
     * update. Returns the slot to read with {@link #find}.
     */
    int prepareIndex(MatchMethod method, boolean ignoreCase) throws PatternException {
        int slot = slot(method, ignoreCase);
        lock.lock();
        try {
            Snapshot s = current;
            if (s.indexes[slot] == null) {
                PatternIndex[] indexes = s.indexes.clone();
                indexes[slot] = compile(slot, s.patterns);
                current = new Snapshot(s.entries, s.patterns, indexes, s.values);
            }
            return slot;
        } finally {
            lock.unlock();
        }
    }

    /** Parses every value for an output type (at load), and keeps them parsed through updates. */
    void prepareValues(int output) throws PatternException {
        lock.lock();
        try {
            Snapshot s = current;
            if (s.values[output] == null) {
                Object[][] values = s.values.clone();
                values[output] = parseValues(output, s.entries);
                current = new Snapshot(s.entries, s.patterns, s.indexes, values);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The position of the entry the sample matches in this snapshot (see {@link PatternIndex#find}). */
    int find(Snapshot s, int slot, Object sample) {
        PatternIndex index = s.indexes[slot];
        if (index == null) { // not prepared: compile for this look-up only
            try {
                index = compile(slot, s.patterns);
            } catch (PatternException e) {
                return PatternIndex.NO_MATCH;
            }
        }
        return index.find(sample);
    }

    /** The parsed value of entry {@code position} for an output type. */
    Object value(Snapshot s, int output, int position) {
        Object[] values = s.values[output];
        return values != null ? values[position] : parsers[output].parse(s.entries.get(position).value());
    }

    /**
     * Applies a change to the entries and publishes the result, or throws and changes nothing.
     *
     * @param change returns the new entries (the same list when nothing changes)
     */
    void update(UnaryOperator<List<Entry>> change) throws PatternException {
        lock.lock();
        try {
            Snapshot s = current;
            List<Entry> entries = change.apply(s.entries);
            if (entries == s.entries) {
                return;
            }
            entries = List.copyOf(entries);
            List<Pattern> patterns = patternsOf(entries);
            PatternIndex[] indexes = new PatternIndex[INDEX_SLOTS];
            for (int slot = 0; slot < INDEX_SLOTS; slot++) {
                if (s.indexes[slot] != null) {
                    indexes[slot] = compile(slot, patterns);
                }
            }
            Object[][] values = new Object[parsers.length][];
            for (int output = 0; output < parsers.length; output++) {
                if (s.values[output] != null) {
                    values[output] = parseValues(output, entries);
                }
            }
            current = new Snapshot(entries, patterns, indexes, values);
        } finally {
            lock.unlock();
        }
    }

    /** The entries now, in order, as (ref, key, value); value {@code null} in a pattern file. */
    List<PatternEntry> listing() {
        List<Entry> entries = current.entries;
        List<PatternEntry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(new PatternEntry(e.ref(), e.pattern().text(), e.value()));
        }
        return out;
    }

    /** Appends an entry even when its key is there already (HAProxy's {@code add map}, {@code add acl}). */
    void append(String key, String value) throws PatternException {
        update(entries -> {
            List<Entry> updated = new ArrayList<>(entries.size() + 1);
            updated.addAll(entries);
            updated.add(new Entry(new Pattern(key, runtimeOrigin()), value));
            return updated;
        });
    }

    /** Gives the entry {@code ref} a new value (HAProxy's {@code set map <map> #<ref>}); false if there is none. */
    boolean replaceRef(long ref, String value) throws PatternException {
        boolean[] found = {false};
        update(entries -> {
            List<Entry> updated = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                if (e.ref() == ref) {
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

    /** Removes the entry {@code ref}; false if there is none. */
    boolean deleteRef(long ref) {
        boolean[] found = {false};
        try {
            update(entries -> {
                List<Entry> kept = new ArrayList<>(entries.size());
                for (Entry e : entries) {
                    if (e.ref() == ref) {
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

    /** The origin given to entries added at run time. */
    String runtimeOrigin() {
        return name + ":runtime";
    }
}
