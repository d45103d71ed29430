package io.luagate.kernel.rule.action;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code http-request auth [realm <realm>]}: answers 401 with {@code WWW-Authenticate: Basic
 * realm="<realm>"}, as HAProxy 2.6 builds it: the proxy's 401 page (its {@code http-error} or the
 * built-in one) without any {@code www-authenticate} of its own, then the challenge last. Without a
 * realm, the name of the proxy whose rules run (the frontend's, or the backend's in its rules).
 * HAProxy's 407 ({@code option http-use-proxy-header}) is not offered: that option is refused.
 */
final class AuthAction implements Action {

    private static final String HEADER = "www-authenticate";

    /** The challenge when the realm is written; {@code null}: the proxy's name, per request. */
    private final String challenge;

    private AuthAction(String challenge) {
        this.challenge = challenge;
    }

    static Action compile(ActionSyntax syntax) throws RuleSyntaxException {
        if (syntax.count() == 0) {
            return new AuthAction(null);
        }
        if (!syntax.word(0).text().equals("realm")) {
            throw new RuleSyntaxException(syntax.word(0).column(), "unexpected '" + syntax.word(0).text()
                    + "' in 'auth'; expected realm <realm>");
        }
        if (syntax.count() < 2) {
            throw syntax.error("missing realm value");
        }
        syntax.expect(2, 2);
        return new AuthAction(challenge(syntax.word(1).text()));
    }

    private static String challenge(String realm) {
        return "Basic realm=\"" + realm + "\"";
    }

    @Override
    public Verdict execute(Transaction txn) {
        String value = challenge;
        if (value == null) {
            Backend backend = txn.stream().backend();
            value = challenge(backend != null ? backend.name() : txn.stream().session().frontend().name());
        }
        HttpReply page = ErrorPages.forStream(txn, 401);
        List<HttpReply.Header> headers = new ArrayList<>(page.headers().size() + 1);
        for (HttpReply.Header header : page.headers()) {
            if (!header.name().equalsIgnoreCase(HEADER)) {
                headers.add(header);
            }
        }
        headers.add(new HttpReply.Header(HEADER, value));
        txn.reply(new HttpReply(401, headers, page.body(), page.reason(), page.requestVersion(), page.fileVersion()));
        return Verdict.STOP;
    }
}
