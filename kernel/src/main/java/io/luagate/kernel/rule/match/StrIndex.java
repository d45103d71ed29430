package io.luagate.kernel.rule.match;

import io.luagate.spi.http.AsciiFold;
import io.luagate.spi.sample.Samples;
import java.util.List;

/**
 * {@code -m str}: an open-addressing hash table of the patterns (case-folded with {@code -i}, and
 * then hashed and compared folded, so that a look-up allocates nothing). Duplicates keep the first.
 */
final class StrIndex implements PatternIndex {

    private final String[] keys;
    private final int[] ordinals;
    private final int mask;
    private final boolean ignoreCase;

    StrIndex(List<String> patterns, boolean ignoreCase) {
        this.ignoreCase = ignoreCase;
        int capacity = Integer.highestOneBit(Math.max(4, patterns.size() * 2 + 1)) << 1;
        keys = new String[capacity];
        ordinals = new int[capacity];
        mask = capacity - 1;
        for (int i = 0; i < patterns.size(); i++) {
            String key = ignoreCase ? AsciiFold.fold(patterns.get(i)) : patterns.get(i);
            int slot = hash(key) & mask;
            while (keys[slot] != null && !keys[slot].equals(key)) {
                slot = (slot + 1) & mask;
            }
            if (keys[slot] == null) {
                keys[slot] = key;
                ordinals[slot] = i;
            }
        }
    }

    private int hash(String s) {
        int h;
        if (ignoreCase) {
            h = 0;
            for (int i = 0; i < s.length(); i++) {
                h = 31 * h + AsciiFold.fold(s.charAt(i));
            }
        } else {
            h = s.hashCode();
        }
        return h ^ (h >>> 16);
    }

    @Override
    public int find(Object sample) {
        String s = Samples.asString(sample);
        if (s == null) {
            return NO_SAMPLE;
        }
        int slot = hash(s) & mask;
        for (String key = keys[slot]; key != null; key = keys[slot]) {
            if (key.length() == s.length() && AsciiFold.regionEquals(key, 0, s, 0, s.length(), ignoreCase)) {
                return ordinals[slot];
            }
            slot = (slot + 1) & mask;
        }
        return NO_MATCH;
    }
}
