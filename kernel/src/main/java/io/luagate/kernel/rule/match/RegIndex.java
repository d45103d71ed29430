package io.luagate.kernel.rule.match;

import java.util.List;

/** {@code reg}: regular expressions, compiled once, tried in order with find() semantics. */
final class RegIndex implements PatternIndex {

    private final java.util.regex.Pattern[] regexes;

    RegIndex(List<java.util.regex.Pattern> regexes) {
        this.regexes = regexes.toArray(new java.util.regex.Pattern[0]);
    }

    @Override
    public int find(Object sample) {
        String s = SampleCasts.toStr(sample);
        if (s == null) {
            return NO_SAMPLE;
        }
        for (int i = 0; i < regexes.length; i++) {
            if (regexes[i].matcher(s).find()) {
                return i;
            }
        }
        return NO_MATCH;
    }
}
