package io.luagate.kernel.rule;

import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.log.AccessLogFormat;
import io.luagate.kernel.rule.acl.Acl;
import io.luagate.kernel.rule.acl.AclCompiler;
import io.luagate.kernel.rule.acl.Condition;
import io.luagate.kernel.rule.acl.ConditionParser;
import io.luagate.kernel.rule.action.ActionSyntax;
import io.luagate.kernel.rule.fetch.ServerSideFetches;
import io.luagate.kernel.rule.action.CaptureSlots;
import io.luagate.kernel.rule.action.ActionTable;
import io.luagate.kernel.rule.action.EarlyHintAction;
import io.luagate.kernel.rule.action.HttpErrorLine;
import io.luagate.kernel.rule.action.Side;
import io.luagate.kernel.rule.expr.LogFormat;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.ReplyTemplate;
import io.luagate.spi.rule.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Compiles a proxy's rules, once, at load: ACL definitions, {@code http-request} and
 * {@code http-response} rules, {@code use-backend} rules. Every problem names the rule, the
 * column, and the configuration file and line; compiling goes on so that all are reported.
 */
public final class RuleCompiler {

    private final CompileContext context;
    private final ActionTable actions;
    private final AclCompiler acls;

    public RuleCompiler(CompileContext context, ActionTable actions) {
        this.context = context;
        this.actions = actions;
        this.acls = new AclCompiler(context);
    }

    public CompileContext context() {
        return context;
    }

    /** Compiles a proxy's {@code acl} definitions; a name may have several (any of them matches). */
    public Map<String, List<Acl>> acls(Map<String, List<Settings.Rule>> definitions, String key, Problems problems) {
        Map<String, List<Acl>> compiled = new LinkedHashMap<>();
        definitions.forEach((name, rules) -> {
            List<Acl> list = new ArrayList<>();
            for (Settings.Rule rule : rules) {
                try {
                    list.add(acls.compile(name, RuleTokenizer.split(rule.text()), rule.origin()));
                } catch (RuleSyntaxException e) {
                    problems.add(problem(rule, key + "." + name, e));
                }
            }
            compiled.put(name, List.copyOf(list));
        });
        return compiled;
    }

    /**
     * A frontend's {@code declare-capture} lines ({@code request len 20}) as its request and
     * response capture slots, in that order.
     */
    public CaptureSlots[] captures(List<Settings.Rule> declarations, String key, Problems problems) {
        CaptureSlots[] slots = {new CaptureSlots(), new CaptureSlots()};
        for (Settings.Rule line : declarations) {
            try {
                CaptureSlots.declare(line.text(), slots[0], slots[1]);
            } catch (RuleSyntaxException e) {
                problems.add(problem(line, key, e));
            }
        }
        return slots;
    }

    /** Compiles {@code http-request} or {@code http-response} rules. */
    public List<Action> actions(List<Settings.Rule> rules, Side side, Map<String, List<Acl>> named, String key,
                                Problems problems) {
        return actions(rules, side, named, key, problems, new CaptureSlots());
    }

    /** Compiles rules whose {@code capture} actions use (and add to) {@code captures}. */
    public List<Action> actions(List<Settings.Rule> rules, Side side, Map<String, List<Acl>> named, String key,
                                Problems problems, CaptureSlots captures) {
        List<Action> compiled = new ArrayList<>(rules.size());
        for (Settings.Rule rule : rules) {
            try {
                compiled.add(action(rule, side, named, captures));
            } catch (RuleSyntaxException e) {
                problems.add(problem(rule, key, e));
            }
        }
        groupEarlyHints(compiled);
        return List.copyOf(compiled);
    }

    /**
     * Marks the early-hint rules that send their 103: each whose next rule is not an early-hint
     * without a condition (HAProxy 2.6 groups such a run into one 103).
     */
    private static void groupEarlyHints(List<Action> rules) {
        for (int i = 0; i < rules.size(); i++) {
            Action rule = rules.get(i);
            boolean closes = i + 1 == rules.size() || !(rules.get(i + 1) instanceof EarlyHintAction);
            if (rule instanceof EarlyHintAction hint) {
                rules.set(i, hint.closing(closes));
            } else if (rule instanceof ConditionalAction conditional && conditional.action() instanceof EarlyHintAction hint) {
                rules.set(i, new ConditionalAction(conditional.condition(), hint.closing(closes)));
            }
        }
    }

    Action action(Settings.Rule rule, Side side, Map<String, List<Acl>> named) throws RuleSyntaxException {
        return action(rule, side, named, new CaptureSlots());
    }

    private Action action(Settings.Rule rule, Side side, Map<String, List<Acl>> named, CaptureSlots captures)
            throws RuleSyntaxException {
        List<Word> words = RuleTokenizer.split(rule.text());
        if (words.isEmpty()) {
            throw new RuleSyntaxException(0, "empty rule");
        }
        ServerSideFetches.refuseBeforeConnect(rule.text(), side);
        if (side == Side.TCP || side == Side.TCP_RESPONSE) {
            String first = words.get(0).text();
            if (first.equals("inspect-delay")) {
                inspectDelay(words);
                // Read by the frontend (tcpInspectDelay), not run per connection.
                return txn -> io.luagate.spi.rule.Verdict.CONTINUE;
            }
            if (!first.equals("content") || words.size() < 2) {
                throw new RuleSyntaxException(words.get(0).column(), "expected 'content <action> ...' or 'inspect-delay <time>'");
            }
            words = words.subList(1, words.size());
        }
        int conditionAt = conditionStart(words);
        Word keyword = words.get(0);
        String name = keyword.text().contains("(") ? keyword.text().substring(0, keyword.text().indexOf('(')) : keyword.text();
        ActionTable.ActionCompiler compiler = actions.find(side, name);
        if (compiler == null) {
            throw new RuleSyntaxException(keyword.column(), "unknown " + side.listName()
                    + " action '" + name + "'; known: " + String.join(", ", actions.keywords(side)));
        }
        Action action = compiler.compile(new ActionSyntax(keyword, words.subList(1, conditionAt), side, context, captures));
        Condition condition = condition(words, conditionAt, named, rule);
        return condition == null ? action : new ConditionalAction(condition, action);
    }

    /**
     * A proxy's {@code http-error} lines (without the keyword: {@code status 503 string down}) by
     * status; a later line for a status replaces an earlier one, as in HAProxy.
     */
    public Map<Integer, ReplyTemplate> httpErrors(List<Settings.Rule> lines, String key, Problems problems) {
        Map<Integer, ReplyTemplate> replies = new HashMap<>();
        for (Settings.Rule line : lines) {
            try {
                List<Word> words = RuleTokenizer.split(line.text());
                ActionSyntax syntax = new ActionSyntax(new Word("http-error", 0), words, Side.RESPONSE, context);
                ReplyTemplate reply = HttpErrorLine.compile(syntax);
                replies.put(HttpErrorLine.status(syntax), reply);
            } catch (RuleSyntaxException e) {
                problems.add(problem(line, key, e));
            }
        }
        return replies;
    }

    /**
     * HAProxy's {@code monitor-uri} with its {@code monitor fail} conditions ({@code "if <cond>"},
     * {@code "unless <cond>"}): an action run before anything else on each request. When the URI
     * is exactly the monitor's, it answers 200 (503 when a fail condition holds) with the proxy's
     * page for that status and the stream is not logged, as in HAProxy; otherwise it does nothing.
     *
     * @return {@code null} without a monitor URI
     */
    public Action monitor(String uri, List<Settings.Rule> fails, Map<String, List<Acl>> named, String key,
                          Problems problems) {
        if (uri == null) {
            return null;
        }
        List<Condition> conditions = new ArrayList<>(fails.size());
        for (Settings.Rule fail : fails) {
            try {
                List<Word> words = RuleTokenizer.split(fail.text());
                if (words.size() < 2 || !words.get(0).text().equals("if") && !words.get(0).text().equals("unless")) {
                    throw new RuleSyntaxException(words.isEmpty() ? 0 : words.get(0).column(), "expected if|unless <condition>");
                }
                conditions.add(condition(words, 0, named, fail));
            } catch (RuleSyntaxException e) {
                problems.add(problem(fail, key, e));
            }
        }
        List<Condition> failIf = List.copyOf(conditions);
        return txn -> {
            if (!uri.equals(txn.request().uri())) {
                return Verdict.CONTINUE;
            }
            txn.stream().silent(true);
            int status = 200;
            for (Condition condition : failIf) {
                if (condition.test(txn)) {
                    status = 503;
                    break;
                }
            }
            txn.reply(ErrorPages.forStream(txn, status));
            return Verdict.STOP;
        };
    }

    /** The {@code tcp-request} / {@code tcp-response} {@code inspect-delay} of these rules in ms (the last one wins), or 0. */
    public long tcpInspectDelay(List<Settings.Rule> rules, String key, Problems problems) {
        long delay = 0;
        for (Settings.Rule rule : rules) {
            try {
                List<Word> words = RuleTokenizer.split(rule.text());
                if (!words.isEmpty() && words.get(0).text().equals("inspect-delay")) {
                    delay = inspectDelay(words);
                }
            } catch (RuleSyntaxException e) {
                // Reported when the rule list itself is compiled.
            }
        }
        return delay;
    }

    /** {@code inspect-delay <time>}: HAProxy's time syntax (a bare number is ms; us, ms, s, m, h, d). */
    private static long inspectDelay(List<Word> words) throws RuleSyntaxException {
        if (words.size() != 2) {
            throw new RuleSyntaxException(words.get(0).column(), "'inspect-delay' takes one duration");
        }
        Word value = words.get(1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(us|ms|s|m|h|d)?").matcher(value.text());
        if (!m.matches()) {
            throw new RuleSyntaxException(value.column(), "'" + value.text() + "' is not a duration (e.g. 500ms, 5s)");
        }
        String unit = m.group(2) == null ? "ms" : m.group(2);
        try {
            long amount = Long.parseLong(m.group(1));
            return switch (unit) {
                case "us" -> amount / 1000;
                case "s" -> Math.multiplyExact(amount, 1000);
                case "m" -> Math.multiplyExact(amount, 60_000);
                case "h" -> Math.multiplyExact(amount, 3_600_000);
                case "d" -> Math.multiplyExact(amount, 86_400_000);
                default -> amount;
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new RuleSyntaxException(value.column(), "'" + value.text() + "' is too long a duration");
        }
    }

    /** Compiles a {@code log-format}; {@code null} when {@code rule} is. */
    public AccessLogFormat logFormat(Settings.Rule rule, String key, Problems problems) {
        if (rule == null) {
            return null;
        }
        try {
            return AccessLogFormat.parse(RuleTokenizer.formatBytes(rule.text()), new io.luagate.kernel.rule.expr.ExprParser(context));
        } catch (RuleSyntaxException e) {
            problems.add(problem(rule, key, e));
            return null;
        }
    }

    /** Compiles a log-format evaluated in a rule's context ({@code unique-id-format}); {@code null} when {@code rule} is. */
    public LogFormat format(Settings.Rule rule, String key, Problems problems) {
        if (rule == null) {
            return null;
        }
        try {
            return LogFormat.parse(RuleTokenizer.formatBytes(rule.text()), 1, new io.luagate.kernel.rule.expr.ExprParser(context));
        } catch (RuleSyntaxException e) {
            problems.add(problem(rule, key, e));
            return null;
        }
    }

    /** Compiles {@code use-backend} rules: {@code <name>|<log-format> [if|unless <condition>]}. */
    public List<BackendRule> backendRules(List<Settings.Rule> rules, Map<String, List<Acl>> named,
                                          Function<String, Backend> backends, String key, Problems problems) {
        List<BackendRule> compiled = new ArrayList<>(rules.size());
        for (Settings.Rule rule : rules) {
            try {
                List<Word> words = RuleTokenizer.split(rule.text());
                int conditionAt = conditionStart(words);
                if (conditionAt != 1) {
                    throw new RuleSyntaxException(words.isEmpty() ? 0 : words.get(Math.min(1, words.size() - 1)).column(),
                            "expected <backend> [if|unless <condition>]");
                }
                Word target = words.get(0);
                LogFormat format = LogFormat.parse(target.text(), target.column(), new io.luagate.kernel.rule.expr.ExprParser(context));
                String fixed = format.isConstant() ? target.text() : null;
                if (fixed != null && !context.backendNames().contains(fixed)) {
                    throw new RuleSyntaxException(target.column(), "no backend named '" + fixed + "'");
                }
                compiled.add(new BackendRule(condition(words, conditionAt, named, rule), fixed, fixed == null ? format : null, backends));
            } catch (RuleSyntaxException e) {
                problems.add(problem(rule, key, e));
            }
        }
        return List.copyOf(compiled);
    }

    private Condition condition(List<Word> words, int at, Map<String, List<Acl>> named, Settings.Rule rule)
            throws RuleSyntaxException {
        if (at >= words.size()) {
            return null;
        }
        boolean unless = words.get(at).text().equals("unless");
        return new ConditionParser(acls, named).parse(words.subList(at + 1, words.size()), unless, rule.origin(), rule.text());
    }

    /** The index of the first {@code if}/{@code unless} word, or the number of words. */
    private static int conditionStart(List<Word> words) {
        for (int i = 1; i < words.size(); i++) {
            String text = words.get(i).text();
            if (text.equals("if") || text.equals("unless")) {
                return i;
            }
        }
        return words.size();
    }

    private static ConfigProblem problem(Settings.Rule rule, String key, RuleSyntaxException e) {
        String where = e.column() > 0 ? " (column " + e.column() + ")" : "";
        // The rule's words are bytes: its message shows them as the file's text.
        return new ConfigProblem(rule.origin(), key, "in rule \"" + rule.text() + "\"" + where + ": "
                + ConfigBytes.text(e.getMessage()));
    }
}
