package io.luagate.kernel.rule.expr;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Samples;
import java.util.ArrayList;
import java.util.List;

/**
 * A log-format string ({@code "text %[expr] text"}), compiled once into literal parts and
 * expressions. A missing sample renders as nothing, as HAProxy renders it in headers ("-" only
 * in logs). {@code %%} is a literal percent sign.
 */
public final class LogFormat {

    private final String text;
    private final String[] literals;
    private final SampleExpr[] exprs;
    private final String constant;

    private LogFormat(String text, String[] literals, SampleExpr[] exprs) {
        this.text = text;
        this.literals = literals;
        this.exprs = exprs;
        this.constant = exprs.length == 0 ? literals[0] : null;
    }

    /** Compiles {@code text}; {@code column} is where it starts in its rule. */
    public static LogFormat parse(String text, int column, ExprParser parser) throws RuleSyntaxException {
        List<String> literals = new ArrayList<>();
        List<SampleExpr> exprs = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%' && i + 1 < text.length() && text.charAt(i + 1) == '%') {
                literal.append('%');
                i += 2;
            } else if (c == '%' && i + 1 < text.length() && text.charAt(i + 1) == '[') {
                int close = closingBracket(text, i + 2);
                if (close < 0) {
                    throw new RuleSyntaxException(column + i, "missing ']' after '%[' in \"" + text + "\"");
                }
                literals.add(literal.toString());
                literal.setLength(0);
                exprs.add(parser.parse(text.substring(i + 2, close), column + i + 2));
                i = close + 1;
            } else if (c == '%') {
                throw new RuleSyntaxException(column + i, "'%' must start '%[expr]' or be written '%%' in \"" + text + "\"");
            } else {
                literal.append(c);
                i++;
            }
        }
        literals.add(literal.toString());
        return new LogFormat(text, literals.toArray(String[]::new), exprs.toArray(SampleExpr[]::new));
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

    public String render(Transaction txn) {
        if (constant != null) {
            return constant;
        }
        StringBuilder out = new StringBuilder(64);
        for (int i = 0; i < exprs.length; i++) {
            out.append(literals[i]);
            String value = Samples.asString(exprs[i].eval(txn));
            if (value != null) {
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
