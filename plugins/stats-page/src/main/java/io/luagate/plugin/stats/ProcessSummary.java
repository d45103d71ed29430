package io.luagate.plugin.stats;

/**
 * The process figures at the top of the page (HAProxy's "General process information").
 *
 * @param version          luagate's version, or {@code null} when hidden ({@code stats-hide-version})
 * @param releaseDate      the build's date ({@code yyyy/mm/dd}), or {@code ""}
 * @param pid              the process id
 * @param uptimeMillis     time since the process started
 * @param threads          event loops
 * @param maxConnections   {@code global.maxconn}
 * @param connections      client connections open now, all frontends together
 * @param totalConnections client connections since start
 * @param totalRequests    HTTP requests since start
 * @param stopping         whether the process drains before it exits
 * @param node             the node name, may be empty
 * @param description      the description ({@code stats-page.description}), may be empty
 */
record ProcessSummary(String version, String releaseDate, long pid, long uptimeMillis, int threads, int maxConnections,
                      long connections, long totalConnections, long totalRequests, boolean stopping, String node,
                      String description) {

    /** HAProxy's uptime format: {@code 0d 1h02m03s}. */
    String uptime() {
        long s = uptimeMillis / 1000;
        return "%dd %dh%02dm%02ds".formatted(s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
    }
}
