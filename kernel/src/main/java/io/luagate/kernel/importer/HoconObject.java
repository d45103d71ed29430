package io.luagate.kernel.importer;

import java.util.ArrayList;
import java.util.List;

/**
 * An ordered HOCON object being built: each entry carries the comments written above it (the
 * {@code haproxy.cfg:<line>} it came from); entries without a key are comment-only lines.
 */
final class HoconObject {

    /** A number or boolean, written without quotes. */
    record Literal(String text) {
    }

    /** One entry: key (null for a comment line), value (String, Literal, HoconList, HoconObject). */
    static final class Entry {
        final String key;
        Object value;
        final List<String> comments = new ArrayList<>();

        Entry(String key, Object value) {
            this.key = key;
            this.value = value;
        }
    }

    /** A list whose elements have comments too. */
    static final class HoconList {
        final List<Entry> items = new ArrayList<>();

        void add(Object value, String comment) {
            Entry entry = new Entry(null, value);
            entry.comments.add(comment);
            items.add(entry);
        }
    }

    final List<Entry> entries = new ArrayList<>();

    Entry find(String key) {
        for (Entry entry : entries) {
            if (key.equals(entry.key)) {
                return entry;
            }
        }
        return null;
    }

    boolean has(String key) {
        return find(key) != null;
    }

    /** Sets {@code key}; a later line replaces an earlier one's value and comment (HAProxy: the last wins). */
    void set(String key, Object value, String comment) {
        Entry entry = find(key);
        if (entry == null) {
            entry = new Entry(key, value);
            entries.add(entry);
        }
        entry.value = value;
        entry.comments.clear();
        entry.comments.add(comment);
    }

    HoconObject object(String key) {
        Entry entry = find(key);
        if (entry == null) {
            entry = new Entry(key, new HoconObject());
            entries.add(entry);
        }
        return (HoconObject) entry.value;
    }

    HoconList list(String key) {
        Entry entry = find(key);
        if (entry == null) {
            entry = new Entry(key, new HoconList());
            entries.add(entry);
        }
        return (HoconList) entry.value;
    }

    void comment(String text) {
        Entry entry = new Entry(null, null);
        entry.comments.add(text);
        entries.add(entry);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }
}
