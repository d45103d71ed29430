package io.luagate.kernel.rule.match;

import io.luagate.spi.sample.Samples;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code bin}: the sample's bytes equal to one of the hex patterns; duplicates keep the first. */
final class BinIndex implements PatternIndex {

    private final Map<ByteBuffer, Integer> ordinals = new HashMap<>();

    BinIndex(List<byte[]> patterns) {
        for (int i = 0; i < patterns.size(); i++) {
            ordinals.putIfAbsent(ByteBuffer.wrap(patterns.get(i)), i);
        }
    }

    @Override
    public int find(Object sample) {
        byte[] bytes = Samples.asBytes(sample);
        if (bytes == null) {
            return NO_SAMPLE;
        }
        Integer found = ordinals.get(ByteBuffer.wrap(bytes));
        return found == null ? NO_MATCH : found;
    }
}
