package io.luagate.kernel.rule.expr;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A log-format string ({@code "text %[expr] text"}), compiled once into literal parts and
 * expressions. HAProxy's aliases that mean something in a rule ({@code %ci}, {@code %cp},
 * {@code %Ts}...) compile to the fetch they stand for, and {@code %{+Q}} quotes. A missing sample
 * renders as nothing, as HAProxy renders it in headers ("-" only in logs). {@code %%} is a
 * literal percent sign.
 */
public final class LogFormat {

    /**
     * HAProxy's log-format aliases that have a meaning inside a rule, as the fetch each stands for
     * (the access log's own aliases, such as timers, are in {@code AccessLogFormat}).
     */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("ci", "src"), Map.entry("cp", "src_port"), Map.entry("fi", "dst"), Map.entry("fp", "dst_port"),
            Map.entry("Ts", "date"), Map.entry("f", "fe_name"), Map.entry("ft", "fe_name"), Map.entry("b", "be_name"),
            Map.entry("s", "srv_name"), Map.entry("HM", "method"), Map.entry("HU", "url"), Map.entry("HP", "path"),
            Map.entry("ST", "status"), Map.entry("H", "hostname"), Map.entry("ID", "unique-id"));

    private final String text;
    private final String[] literals;
    private final SampleExpr[] exprs;
    private final boolean[] quoted;
    private final String constant;

    private LogFormat(String text, String[] literals, SampleExpr[] exprs, boolean[] quoted) {
        this.text = text;
        this.literals = literals;
        this.exprs = exprs;
        this.quoted = quoted;
        this.constant = exprs.length == 0 ? literals[0] : null;
    }

    /** Compiles {@code text}; {@code column} is where it starts in its rule. */
    public static LogFormat parse(String text, int column, ExprParser parser) throws RuleSyntaxException {
        List<String> literals = new ArrayList<>();
        List<SampleExpr> exprs = new ArrayList<>();
        List<Boolean> quotes = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        LogFormatScanner.scan(text, column, new LogFormatScanner.Sink() {
            @Override
            public void literal(String part) {
                literal.append(part);
            }

            @Override
            public void expr(String expr, int offset, boolean quoted) throws RuleSyntaxException {
                add(parser.parse(expr, column + offset), quoted);
            }

            @Override
            public void alias(String name, int offset, boolean quoted) throws RuleSyntaxException {
                String fetch = ALIASES.get(name);
                if (fetch == null) {
                    throw new RuleSyntaxException(column + offset, "log-format alias '%" + name + "' has no meaning in a rule; "
                            + "known here: " + String.join(" ", ALIASES.keySet().stream().sorted().map(a -> "%" + a).toList()));
                }
                add(parser.parse(fetch, column + offset), quoted);
            }

            private void add(SampleExpr expr, boolean quoted) {
                literals.add(literal.toString());
                literal.setLength(0);
                exprs.add(expr);
                quotes.add(quoted);
            }
        });
        literals.add(literal.toString());
        boolean[] quoted = new boolean[quotes.size()];
        for (int q = 0; q < quoted.length; q++) {
            quoted[q] = quotes.get(q);
        }
        return new LogFormat(text, literals.toArray(String[]::new), exprs.toArray(SampleExpr[]::new), quoted);
    }

    /** The ']' that closes an expression, skipping brackets inside quotes and nested brackets. */
    public static int closingBracket(String text, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[') {
                depth++;
            } else if (c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    /** Whether this format has no expression (its value is known at load). */
    public boolean isConstant() {
        return constant != null;
    }

    /** The text between (and around) its expressions, all of it written on every render. */
    public List<String> literals() {
        return List.of(literals);
    }

    public String render(Transaction txn) {
        if (constant != null) {
            return constant;
        }
        StringBuilder out = new StringBuilder(64);
        for (int i = 0; i < exprs.length; i++) {
            out.append(literals[i]);
            String value = Samples.asString(exprs[i].eval(txn));
            if (quoted[i]) {
                out.append('"').append(value == null ? "" : value).append('"');
            } else if (value != null) {
                out.append(value);
            }
        }
        out.append(literals[exprs.length]);
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
