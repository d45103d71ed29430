package io.luagate.kernel.rule.match;

import io.luagate.spi.sample.Samples;

/**
 * {@code int} and {@code len}: integer ranges tried in order (HAProxy keeps them in a list). For
 * {@code len} the sample is the length of its string form.
 */
final class RangeIndex implements PatternIndex {

    private final long[] mins;
    private final long[] maxs;
    private final boolean[] minSet;
    private final boolean[] maxSet;
    private final int[] ordinals;
    private final boolean length;

    RangeIndex(long[] mins, long[] maxs, boolean[] minSet, boolean[] maxSet, int[] ordinals, boolean length) {
        this.mins = mins;
        this.maxs = maxs;
        this.minSet = minSet;
        this.maxSet = maxSet;
        this.ordinals = ordinals;
        this.length = length;
    }

    @Override
    public int find(Object sample) {
        long value;
        if (length) {
            String s = Samples.asString(sample);
            if (s == null) {
                return NO_SAMPLE;
            }
            value = s.length();
        } else {
            if (!Samples.hasLong(sample)) {
                return NO_SAMPLE;
            }
            value = Samples.longValue(sample);
        }
        for (int i = 0; i < mins.length; i++) {
            if ((!minSet[i] || mins[i] <= value) && (!maxSet[i] || value <= maxs[i])) {
                return ordinals[i];
            }
        }
        return NO_MATCH;
    }
}
