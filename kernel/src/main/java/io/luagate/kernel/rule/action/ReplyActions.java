package io.luagate.kernel.rule.action;

import io.luagate.spi.pattern.FileNameBytes;
import io.luagate.kernel.rule.ConfigBytes;
import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.Word;
import io.luagate.kernel.rule.expr.LogFormat;
import io.luagate.spi.http.AsciiFold;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.ReplyTemplate;
import io.luagate.spi.rule.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Actions that answer in place of the server: {@code return}, {@code deny}, {@code redirect}, and
 * the replies of {@code tarpit} and {@code http-error}, which share their syntax. A reply known at
 * load (no log-format in it) is built once and reused for every request.
 */
final class ReplyActions {

    private ReplyActions() {
    }

    /** A header of a reply; its value may be a log-format. */
    private record HeaderFormat(String name, LogFormat value) {
    }

    /** Which rule's syntax a reply is written in; they differ in their default status and keywords. */
    enum Kind {
        /** {@code return}: 200, {@code status N}. */
        RETURN,
        /** {@code deny}: 403 (502 in a response), {@code deny_status N}; bare, the error page. */
        DENY,
        /** {@code tarpit}: as deny, 500. */
        TARPIT,
        /** The proxy directive {@code http-error status N ...}: no default status, built-in pages only. */
        HTTP_ERROR
    }

    /**
     * {@code return [status N] [content-type T] [string S | lf-string F | file F | lf-file F]
     * [hdr NAME FMT]... [default-errorfiles]} and, sharing the syntax, {@code deny [deny_status N] [...]}.
     */
    static Action reply(ActionSyntax syntax, boolean deny) throws RuleSyntaxException {
        ReplyTemplate template = template(syntax, deny ? Kind.DENY : Kind.RETURN);
        return txn -> {
            txn.reply(template.render(txn));
            return Verdict.STOP;
        };
    }

    /** The reply a {@code deny}, {@code return}, {@code tarpit} or {@code http-error} line describes, compiled. */
    static ReplyTemplate template(ActionSyntax syntax, Kind kind) throws RuleSyntaxException {
        boolean deny = kind == Kind.DENY || kind == Kind.TARPIT;
        // HAProxy: a denied request gets 403, a denied response 502, a tarpitted request 500.
        int status = switch (kind) {
            case DENY -> syntax.side() == Side.RESPONSE ? 502 : 403;
            case TARPIT -> 500;
            case RETURN -> 200;
            case HTTP_ERROR -> 0;
        };
        String contentType = null;
        LogFormat body = null;
        byte[] fixedBody = null;
        // A bare "deny [deny_status N]" answers with the status's error page; return (and deny with
        // return's arguments) only with default-errorfiles, else with an empty body (HAProxy).
        boolean plainDeny = deny;
        boolean defaultErrorFiles = false;
        List<HeaderFormat> headers = new ArrayList<>();
        String statusKeyword = deny ? "deny_status" : "status";
        for (int i = 0; i < syntax.count(); i++) {
            Word word = syntax.word(i);
            switch (word.text()) {
                case "status", "deny_status" -> {
                    if (!deny && word.text().equals("deny_status")) {
                        throw new RuleSyntaxException(word.column(), "'" + syntax.name() + "' takes status, not deny_status");
                    }
                    status = status(syntax, ++i);
                    // deny's own keyword keeps the error page; "status" is return's syntax (empty body).
                    plainDeny &= word.text().equals("deny_status");
                }
                case "content-type" -> {
                    contentType = syntax.headerValueText(++i);
                    plainDeny = false;
                }
                case "string" -> body = literal(syntax.word(++i).text());
                case "lf-string" -> body = syntax.format(++i);
                case "file" -> fixedBody = readBytes(syntax, ++i);
                case "lf-file" -> {
                    Word file = syntax.word(++i);
                    body = LogFormat.parse(read(syntax, i), file.column(), syntax.exprs());
                }
                case "hdr" -> {
                    plainDeny = false;
                    // HAProxy writes header names in lower case.
                    String name = AsciiFold.fold(syntax.headerName(++i));
                    headers.add(new HeaderFormat(name, syntax.headerValue(++i)));
                }
                case "default-errorfiles" -> defaultErrorFiles = true;
                case "errorfile", "errorfiles" -> throw new RuleSyntaxException(word.column(), "'" + word.text()
                        + "' in a reply is not supported by this build; use file/string with hdr, or default-errorfiles");
                default -> throw new RuleSyntaxException(word.column(), "unexpected '" + word.text() + "' in '"
                        + syntax.name() + "'; expected " + statusKeyword + ", content-type, string, lf-string, file, lf-file, hdr or default-errorfiles");
            }
        }
        if (kind == Kind.HTTP_ERROR) {
            if (status == 0) {
                throw syntax.error("expects at least a status: status <code> [...]");
            }
            if (!ErrorPages.haproxyHasPage(status)) {
                throw syntax.error("status code '" + status + "' not handled (HAProxy keeps error messages for "
                        + "200 400 401 403 404 405 407 408 410 413 421 422 425 429 500 501 502 503 504)");
            }
        }
        boolean payload = fixedBody != null ? fixedBody.length > 0 : body != null && !(body.isConstant() && body.render(null).isEmpty());
        if (payload && contentType == null) {
            throw syntax.error("a content type must be defined when non-empty payload is configured (HAProxy refuses it too)");
        }
        if (fixedBody != null) {
            // A file is sent byte for byte, whatever its encoding.
            List<HttpReply.Header> all = new ArrayList<>();
            for (HeaderFormat header : headers) {
                if (!header.value().isConstant()) {
                    throw syntax.error("with 'file' takes constant hdr values");
                }
                all.add(new HttpReply.Header(header.name(), header.value().render(null)));
            }
            all.add(new HttpReply.Header("content-length", Integer.toString(fixedBody.length)));
            if (contentType != null) {
                all.add(new HttpReply.Header("content-type", contentType));
            }
            HttpReply reply = new HttpReply(status, all, fixedBody);
            return txn -> reply;
        }
        if (contentType != null && body == null) {
            throw syntax.error("has a content-type but no body (string, lf-string, file or lf-file)");
        }
        int finalStatus = status;
        if (body == null && (plainDeny || defaultErrorFiles)) {
            // HAProxy's error message: its hdr lines are ignored. A rule's page is the proxy's own
            // (http-error) at run time; http-error's default-errorfiles means the built-in page.
            if (kind == Kind.HTTP_ERROR) {
                HttpReply page = ErrorPages.forStatus(finalStatus);
                return txn -> page;
            }
            return txn -> ErrorPages.forStream(txn, finalStatus);
        }
        boolean constant = (body == null || body.isConstant()) && headers.stream().allMatch(h -> h.value().isConstant());
        String finalType = contentType;
        LogFormat finalBody = body;
        if (constant) {
            HttpReply reply = build(finalStatus, finalType, finalBody == null ? null : finalBody.render(null), headers, null);
            return txn -> reply;
        }
        return txn -> build(finalStatus, finalType, finalBody == null ? null : finalBody.render(txn), headers, txn);
    }

    /** HAProxy's order: the hdr lines, then content-length, then content-type. */
    private static HttpReply build(int status, String contentType, String body, List<HeaderFormat> headers,
                                   io.luagate.spi.rule.Transaction txn) {
        List<HttpReply.Header> all = new ArrayList<>(headers.size() + 3);
        for (HeaderFormat header : headers) {
            all.add(new HttpReply.Header(header.name(), header.value().render(txn)));
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.ISO_8859_1);
        all.add(new HttpReply.Header("content-length", Integer.toString(bytes.length)));
        if (contentType != null) {
            all.add(new HttpReply.Header("content-type", contentType));
        }
        return new HttpReply(status, all, bytes);
    }

    /**
     * {@code redirect location|prefix|scheme <fmt> [code N] [drop-query] [append-slash]
     * [set-cookie NAME[=VALUE]] [clear-cookie NAME]}.
     */
    static Action redirect(ActionSyntax syntax) throws RuleSyntaxException {
        if (syntax.count() < 2) {
            throw syntax.error("takes location|prefix|scheme <value> [code N] [drop-query] [append-slash] [set-cookie C] [clear-cookie C]");
        }
        String type = syntax.word(0).text();
        if (!List.of("location", "prefix", "scheme").contains(type)) {
            throw new RuleSyntaxException(syntax.word(0).column(), "redirect type must be location, prefix or scheme, not '" + type + "'");
        }
        LogFormat target = syntax.format(1);
        int code = 302;
        boolean dropQuery = false;
        boolean appendSlash = false;
        List<String> cookies = new ArrayList<>();
        for (int i = 2; i < syntax.count(); i++) {
            Word word = syntax.word(i);
            switch (word.text()) {
                case "code" -> {
                    code = status(syntax, ++i);
                    if (!List.of(301, 302, 303, 307, 308).contains(code)) {
                        throw new RuleSyntaxException(syntax.word(i).column(), "redirect code must be 301, 302, 303, 307 or 308");
                    }
                }
                case "drop-query" -> dropQuery = true;
                case "append-slash" -> appendSlash = true;
                // HAProxy's exact cookie strings.
                case "set-cookie" -> cookies.add(syntax.word(++i).text() + "; path=/;");
                case "clear-cookie" -> cookies.add(syntax.word(++i).text() + "; path=/; Max-Age=0;");
                default -> throw new RuleSyntaxException(word.column(), "unexpected '" + word.text() + "' in 'redirect'");
            }
        }
        int finalCode = code;
        boolean finalDropQuery = dropQuery;
        boolean finalAppendSlash = appendSlash;
        return txn -> {
            HttpHead request = txn.request();
            String value = target.render(txn);
            String location = switch (type) {
                case "location" -> value;
                case "prefix" -> {
                    String prefix = value.equals("/") ? "" : value;
                    yield prefix + target(request, finalDropQuery, finalAppendSlash);
                }
                default -> {
                    String host = request == null ? null : request.header("host");
                    yield value + "://" + (host == null ? "" : host) + target(request, finalDropQuery, finalAppendSlash);
                }
            };
            // HAProxy's bytes: content-length first; no-cache on the temporary codes only.
            List<HttpReply.Header> headers = new ArrayList<>(3 + cookies.size());
            headers.add(new HttpReply.Header("content-length", "0"));
            headers.add(new HttpReply.Header("location", location));
            if (finalCode != 301 && finalCode != 308) {
                headers.add(new HttpReply.Header("cache-control", "no-cache"));
            }
            for (String cookie : cookies) {
                headers.add(new HttpReply.Header("set-cookie", cookie));
            }
            txn.reply(new HttpReply(finalCode, headers, new byte[0]));
            return Verdict.STOP;
        };
    }

    /**
     * The path and query a prefix/scheme redirect keeps. As in HAProxy, append-slash adds the
     * slash at the very end, after the query when one is kept.
     */
    private static String target(HttpHead request, boolean dropQuery, boolean appendSlash) {
        String path = request == null ? "/" : request.path();
        String query = request == null || dropQuery ? null : request.query();
        String target = query == null ? path : path + "?" + query;
        return appendSlash && !target.endsWith("/") ? target + "/" : target;
    }

    static int status(ActionSyntax syntax, int index) throws RuleSyntaxException {
        Word value = syntax.word(index);
        try {
            int status = Integer.parseInt(value.text());
            if (status < 200 || status > 599) {
                throw new RuleSyntaxException(value.column(), "status " + status + " is out of range [200, 599]");
            }
            return status;
        } catch (NumberFormatException e) {
            throw new RuleSyntaxException(value.column(), "'" + value.text() + "' is not a status code");
        }
    }

    private static LogFormat literal(String text) throws RuleSyntaxException {
        return LogFormat.parse(text.replace("%", "%%"), 0, null);
    }

    private static byte[] readBytes(ActionSyntax syntax, int index) throws RuleSyntaxException {
        Word name = syntax.word(index);
        try {
            return Files.readAllBytes(syntax.context().home().resolve(FileNameBytes.decode(name.text())));
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new RuleSyntaxException(name.column(), "cannot read file '" + name.text() + "': " + ConfigBytes.of(String.valueOf(e.getMessage())));
        }
    }

    private static String read(ActionSyntax syntax, int index) throws RuleSyntaxException {
        Word name = syntax.word(index);
        try {
            return Files.readString(syntax.context().home().resolve(FileNameBytes.decode(name.text())), StandardCharsets.ISO_8859_1);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new RuleSyntaxException(name.column(), "cannot read file '" + name.text() + "': " + ConfigBytes.of(String.valueOf(e.getMessage())));
        }
    }
}
