package io.luagate.plugin.stats;

/** HAProxy's {@code human_time()}: a duration in its two largest units, as its stats page shows ages and downtimes. */
final class HumanTime {

    private HumanTime() {
    }

    static String of(long millis) {
        long s = Math.max(0, millis) / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + s % 60 + "s";
        }
        if (s < 86400) {
            return s / 3600 + "h" + s / 60 % 60 + "m";
        }
        return s / 86400 + "d" + s / 3600 % 24 + "h";
    }
}
