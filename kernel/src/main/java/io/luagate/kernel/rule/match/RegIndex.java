package io.luagate.kernel.rule.match;

import io.luagate.spi.sample.Samples;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;
import java.util.regex.Matcher;

/**
 * {@code reg}: regular expressions, compiled once, tried in order with find() semantics. Each
 * thread keeps its own {@link Matcher}s and resets them per sample, so a match allocates nothing
 * (a Matcher is not thread-safe, and creating one per evaluation costs more than the match).
 */
final class RegIndex implements PatternIndex {

    private final java.util.regex.Pattern[] regexes;
    private final FastThreadLocal<Matcher[]> matchers = new FastThreadLocal<>() {
        @Override
        protected Matcher[] initialValue() {
            Matcher[] all = new Matcher[regexes.length];
            for (int i = 0; i < all.length; i++) {
                all[i] = regexes[i].matcher("");
            }
            return all;
        }
    };

    RegIndex(List<java.util.regex.Pattern> regexes) {
        this.regexes = regexes.toArray(new java.util.regex.Pattern[0]);
    }

    @Override
    public int find(Object sample) {
        String s = Samples.asString(sample);
        if (s == null) {
            return NO_SAMPLE;
        }
        Matcher[] mine = matchers.get();
        for (int i = 0; i < mine.length; i++) {
            Matcher m = mine[i].reset(s);
            boolean found = m.find();
            // Drop the reference to the sample: a cached Matcher must not keep request data alive.
            m.reset("");
            if (found) {
                return i;
            }
        }
        return NO_MATCH;
    }
}
