package io.luagate.kernel.rule.fetch;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.action.Side;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the fetches of the server connection ({@code ssl_bc*}) may be written: not in {@code
 * http-request} nor {@code tcp-request} rules, which run before that connection exists. HAProxy
 * 2.6 refuses them there at load ("may not be reliably used here because it needs 'server-side
 * connection'"), and so does luagate, rather than give them no sample at run time.
 */
public final class ServerSideFetches {

    private static final Pattern FETCH = Pattern.compile("(?<![\\w.])ssl_bc\\w*");

    private ServerSideFetches() {
    }

    /** @throws RuleSyntaxException at the first such fetch in a rule of {@code side} that runs before the connect */
    public static void refuseBeforeConnect(String rule, Side side) throws RuleSyntaxException {
        if (side != Side.REQUEST && side != Side.TCP) {
            return;
        }
        Matcher fetch = FETCH.matcher(rule);
        if (fetch.find()) {
            throw new RuleSyntaxException(fetch.start(), "sample fetch '" + fetch.group() + "' may not be used in "
                    + side.listName() + " rules: it needs the server-side connection, which does not exist yet"
                    + " (as in HAProxy; use it in http-response, http-after-response or log-format)");
        }
    }
}
