package io.luagate.plugin.stats;

/**
 * What a request for the page asks, from the options HAProxy reads after the stats URI
 * ({@code http_handle_stats}): {@code ;norefresh}, {@code ;up} (only servers that are up),
 * {@code ;no-maint} (no server in maintenance) and {@code ;st=<status>} (the outcome of an admin
 * action, shown above the tables). HAProxy looks for each anywhere in what follows the prefix.
 *
 * @param base      the stats URI as requested, without options: links and redirects start from it
 * @param refresh   whether the page reloads itself (when a refresh interval is configured)
 * @param onlyUp    hide servers that are not up
 * @param noMaint   hide servers in maintenance
 * @param status    the {@code st=} word, or {@code null}
 */
record PageRequest(String base, boolean refresh, boolean onlyUp, boolean noMaint, String status) {

    /**
     * Reads the options of {@code pathAndQuery}, whose first {@code prefixLength} characters are the
     * stats URI (0 when the page was chosen by {@code use-service}: options then start at the
     * first ';').
     */
    static PageRequest parse(String pathAndQuery, int prefixLength) {
        int optionsFrom = prefixLength > 0 ? Math.min(prefixLength, pathAndQuery.length()) : firstOption(pathAndQuery);
        String options = pathAndQuery.substring(optionsFrom);
        String base = pathAndQuery.substring(0, optionsFrom);
        return new PageRequest(base, !options.contains(";norefresh"), options.contains(";up"),
                options.contains(";no-maint"), status(options));
    }

    private static int firstOption(String path) {
        int semicolon = path.indexOf(';');
        int query = path.indexOf('?');
        if (semicolon < 0) {
            return query < 0 ? path.length() : query;
        }
        return query < 0 ? semicolon : Math.min(semicolon, query);
    }

    private static String status(String options) {
        int at = options.indexOf(";st=");
        if (at < 0) {
            return null;
        }
        int from = at + 4;
        int to = from;
        while (to < options.length() && Character.isLetterOrDigit(options.charAt(to))) {
            to++;
        }
        return options.substring(from, to);
    }

    /** The link to this page with {@code options} (such as {@code ";up;norefresh"}). */
    String link(String options) {
        return base + options;
    }

    /** The options this request carries that {@code link} keeps, except {@code dropped}. */
    String options(String dropped) {
        StringBuilder out = new StringBuilder();
        if (onlyUp && !dropped.equals(";up")) {
            out.append(";up");
        }
        if (noMaint && !dropped.equals(";no-maint")) {
            out.append(";no-maint");
        }
        if (!refresh && !dropped.equals(";norefresh")) {
            out.append(";norefresh");
        }
        return out.toString();
    }
}
