package io.luagate.kernel.rule.action;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.expr.LogFormat;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.http.RegexReplacement;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Verdict;
import java.util.regex.Pattern;

/**
 * Request-line actions: {@code set-method}, {@code set-path}, {@code set-pathq}, {@code set-query},
 * {@code set-uri}, {@code replace-path}, {@code replace-uri}. They rewrite the request's URI in
 * place, keeping the parts they do not name.
 */
final class UriActions {

    private UriActions() {
    }

    /** What a setter changes. */
    enum Part { METHOD, PATH, PATHQ, QUERY, URI }

    static Action set(ActionSyntax syntax, Part part) throws RuleSyntaxException {
        requestOnly(syntax);
        syntax.expect(1, 1);
        LogFormat format = syntax.format(0);
        return txn -> {
            HttpHead head = txn.request();
            if (head != null) {
                apply(head, part, format.render(txn));
            }
            return Verdict.CONTINUE;
        };
    }

    static Action replace(ActionSyntax syntax, Part part) throws RuleSyntaxException {
        requestOnly(syntax);
        syntax.expect(2, 2);
        Pattern regex = HeaderActions.regex(syntax, 0);
        LogFormat replacement = syntax.format(1);
        return txn -> {
            HttpHead head = txn.request();
            if (head != null) {
                String current = part == Part.PATH ? head.path() : head.uri();
                String updated = RegexReplacement.whole(regex, current, replacement.render(txn));
                if (!updated.equals(current)) {
                    apply(head, part, updated);
                }
            }
            return Verdict.CONTINUE;
        };
    }

    private static void apply(HttpHead head, Part part, String value) {
        switch (part) {
            case METHOD -> head.setMethod(value);
            case URI -> head.setUri(value);
            case PATH -> {
                String query = head.query();
                head.setUri(authority(head) + value + (query == null ? "" : "?" + query));
            }
            case PATHQ -> head.setUri(authority(head) + value);
            case QUERY -> {
                // HAProxy 2.6.12 leaves a bare '?' for an empty value (corpus rules-uri/set-query);
                // a leading '?' in the value is not doubled.
                String query = value.startsWith("?") ? value.substring(1) : value;
                head.setUri(authority(head) + head.path() + "?" + query);
            }
        }
    }

    /** The scheme and authority of an absolute-form URI ({@code http://host}), else "". */
    private static String authority(HttpHead head) {
        String uri = head.uri();
        if (uri.startsWith("/")) {
            return "";
        }
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return "";
        }
        int end = uri.length();
        for (int i = scheme + 3; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '/' || c == '?') {
                end = i;
                break;
            }
        }
        return uri.substring(0, end);
    }

    private static void requestOnly(ActionSyntax syntax) throws RuleSyntaxException {
        if (syntax.side() != Side.REQUEST) {
            throw syntax.error("is an http-request action");
        }
    }
}
