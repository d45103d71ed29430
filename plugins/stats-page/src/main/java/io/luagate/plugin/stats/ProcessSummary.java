package io.luagate.plugin.stats;

/**
 * The process figures at the top of the page (HAProxy's "General process information").
 *
 * @param version     luagate's version, or {@code null} when hidden or unknown
 * @param pid         the process id
 * @param uptimeMillis time since the process started
 * @param threads     event loops
 * @param connections client connections open now, all frontends together
 * @param node        the node name ({@code stats-page.node}), may be empty
 * @param description the description ({@code stats-page.description}), may be empty
 */
record ProcessSummary(String version, long pid, long uptimeMillis, int threads, long connections, String node,
                      String description) {

    /** HAProxy's uptime format: {@code 0d 1h02m03s}. */
    String uptime() {
        long s = uptimeMillis / 1000;
        return "%dd %dh%02dm%02ds".formatted(s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
    }
}
