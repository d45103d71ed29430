package io.luagate.kernel.proxy;

import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.service.HttpService;

/**
 * HAProxy's {@code stats uri} check ({@code http_stats_check_uri}): a GET, HEAD or POST whose path
 * starts with the prefix goes to the stats page. A prefix starting with '/' is compared with the
 * path and query of the URI (an absolute URI's authority left out); another one with the URI as
 * received. Case sensitive, as HAProxy compares bytes.
 */
final class StatsUri implements Action {

    private final String prefix;
    private final HttpService page;

    StatsUri(String prefix, HttpService page) {
        this.prefix = prefix;
        this.page = page;
    }

    @Override
    public Verdict execute(Transaction txn) {
        String method = txn.request().method();
        if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("POST")) {
            return Verdict.CONTINUE;
        }
        String uri = txn.request().uri();
        int from = prefix.charAt(0) == '/' ? pathStart(uri) : 0;
        if (from < 0 || !uri.startsWith(prefix, from)) {
            return Verdict.CONTINUE;
        }
        txn.serve(page);
        return Verdict.STOP;
    }

    /** Where the path begins: at once for origin-form, after the authority for absolute-form; -1 when there is none. */
    static int pathStart(String uri) {
        if (uri.startsWith("/")) {
            return 0;
        }
        int scheme = uri.indexOf("://");
        return scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
    }
}
