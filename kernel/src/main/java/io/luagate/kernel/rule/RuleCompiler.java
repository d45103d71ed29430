package io.luagate.kernel.rule;

import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.HttpReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles {@code http-request} rule strings into actions, once, at load. Every problem names the
 * rule, the column and the config file and line.
 *
 * <p>This build knows the actions {@code return} and {@code deny}, without conditions; the full
 * HAProxy vocabulary (conditions, ACLs, fetches, converters) comes with the rule engine.
 */
public final class RuleCompiler {

    private final Path home;

    /** @param home files named by rules ({@code return ... file F}) are relative to it */
    public RuleCompiler(Path home) {
        this.home = home;
    }

    public List<Action> compile(List<Settings.Rule> rules, String key, Problems problems) {
        List<Action> actions = new ArrayList<>(rules.size());
        for (Settings.Rule rule : rules) {
            try {
                actions.add(compile(rule.text()));
            } catch (RuleSyntaxException e) {
                String where = e.column() > 0 ? " (column " + e.column() + ")" : "";
                problems.add(new ConfigProblem(rule.origin(), key,
                        "in rule \"" + rule.text() + "\"" + where + ": " + e.getMessage()));
            }
        }
        return List.copyOf(actions);
    }

    Action compile(String text) throws RuleSyntaxException {
        List<Word> words = RuleTokenizer.split(text);
        if (words.isEmpty()) {
            throw new RuleSyntaxException(0, "empty rule");
        }
        for (Word word : words) {
            if (word.text().equals("if") || word.text().equals("unless")) {
                throw new RuleSyntaxException(word.column(),
                        "conditions ('" + word.text() + "') are not supported by this build yet");
            }
        }
        Word keyword = words.get(0);
        return switch (keyword.text()) {
            case "return" -> new ReturnAction(returnReply(words));
            case "deny" -> new ReturnAction(denyReply(words));
            default -> throw new RuleSyntaxException(keyword.column(),
                    "unknown action '" + keyword.text() + "'; this build knows: return, deny");
        };
    }

    /** {@code return [status N] [content-type T] [string S | file F] [hdr NAME VALUE]...} */
    private HttpReply returnReply(List<Word> words) throws RuleSyntaxException {
        int status = 200;
        String contentType = null;
        byte[] body = null;
        List<HttpReply.Header> headers = new ArrayList<>();
        int i = 1;
        while (i < words.size()) {
            Word word = words.get(i);
            switch (word.text()) {
                case "status" -> status = status(words, i++);
                case "content-type" -> contentType = argument(words, i++).text();
                case "string" -> body = argument(words, i++).text().getBytes(StandardCharsets.UTF_8);
                case "file" -> body = file(argument(words, i++));
                case "hdr" -> {
                    Word name = argument(words, i++);
                    Word value = argument(words, i++);
                    if (value.text().contains("%[")) {
                        throw new RuleSyntaxException(value.column(), "log-format values are not supported by this build yet");
                    }
                    headers.add(new HttpReply.Header(name.text(), value.text()));
                }
                case "lf-string", "lf-file", "errorfile", "errorfiles", "default-errorfiles" ->
                        throw new RuleSyntaxException(word.column(), "'" + word.text() + "' is not supported by this build yet");
                default -> throw new RuleSyntaxException(word.column(), "unexpected '" + word.text()
                        + "'; expected status, content-type, string, file or hdr");
            }
            i++;
        }
        if (contentType != null && body == null) {
            throw new RuleSyntaxException(0, "content-type given without a body (string or file)");
        }
        if (body == null) {
            // As HAProxy: no body given means the default error page of that status, if it has one.
            HttpReply page = ErrorPages.forStatus(status);
            if (!headers.isEmpty()) {
                List<HttpReply.Header> all = new ArrayList<>(page.headers());
                all.addAll(headers);
                page = new HttpReply(status, all, page.body());
            }
            return page;
        }
        if (contentType != null) {
            headers.add(0, new HttpReply.Header("content-type", contentType));
        }
        return new HttpReply(status, headers, body);
    }

    /** {@code deny [deny_status N]}: HAProxy's error page for the status (403 by default). */
    private HttpReply denyReply(List<Word> words) throws RuleSyntaxException {
        int status = 403;
        for (int i = 1; i < words.size(); i++) {
            Word word = words.get(i);
            if (word.text().equals("deny_status")) {
                status = status(words, i++);
            } else {
                throw new RuleSyntaxException(word.column(), "unexpected '" + word.text() + "'; expected deny_status");
            }
        }
        return ErrorPages.forStatus(status);
    }

    private static int status(List<Word> words, int i) throws RuleSyntaxException {
        Word value = argument(words, i);
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

    private static Word argument(List<Word> words, int i) throws RuleSyntaxException {
        if (i + 1 >= words.size()) {
            Word keyword = words.get(i);
            throw new RuleSyntaxException(keyword.column(), "'" + keyword.text() + "' needs an argument");
        }
        return words.get(i + 1);
    }

    private byte[] file(Word name) throws RuleSyntaxException {
        try {
            return Files.readAllBytes(home.resolve(name.text()));
        } catch (IOException e) {
            throw new RuleSyntaxException(name.column(), "cannot read file '" + name.text() + "': " + e.getMessage());
        }
    }
}
