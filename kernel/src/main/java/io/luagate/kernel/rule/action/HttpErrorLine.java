package io.luagate.kernel.rule.action;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.spi.rule.ReplyTemplate;

/**
 * One {@code http-error status <code> [content-type T] [string|lf-string|file|lf-file ...]
 * [hdr NAME FMT]... [default-errorfiles]} line: the reply a proxy sends instead of its built-in
 * page for that status. The syntax is {@code return}'s; the status is required and must be one
 * HAProxy keeps an error message for.
 */
public final class HttpErrorLine {

    private HttpErrorLine() {
    }

    /** The status the line is for: the word after {@code status}. */
    public static int status(ActionSyntax syntax) throws RuleSyntaxException {
        for (int i = 0; i + 1 < syntax.count(); i++) {
            if (syntax.word(i).text().equals("status")) {
                return ReplyActions.status(syntax, i + 1);
            }
        }
        throw syntax.error("expects at least a status: status <code> [...]");
    }

    public static ReplyTemplate compile(ActionSyntax syntax) throws RuleSyntaxException {
        return ReplyActions.template(syntax, ReplyActions.Kind.HTTP_ERROR);
    }
}
