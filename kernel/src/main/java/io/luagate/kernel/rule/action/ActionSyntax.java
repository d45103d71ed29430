package io.luagate.kernel.rule.action;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.Word;
import io.luagate.kernel.rule.expr.ExprParser;
import io.luagate.kernel.rule.expr.LogFormat;
import io.luagate.kernel.rule.expr.SampleExpr;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.spi.http.FieldValue;
import io.luagate.spi.http.HttpToken;
import java.util.List;

/**
 * One action as written: its keyword word (which may carry an argument, {@code set-var(txn.x)}),
 * the words after it up to the condition, and what compiling needs.
 */
public final class ActionSyntax {

    private final Word keyword;
    private final List<Word> args;
    private final Side side;
    private final CompileContext context;
    private final ExprParser exprs;
    private final CaptureSlots captures;

    public ActionSyntax(Word keyword, List<Word> args, Side side, CompileContext context) {
        this(keyword, args, side, context, new CaptureSlots());
    }

    /** @param captures the capture slots of the list of rules this action is part of */
    public ActionSyntax(Word keyword, List<Word> args, Side side, CompileContext context, CaptureSlots captures) {
        this.keyword = keyword;
        this.args = args;
        this.side = side;
        this.context = context;
        this.exprs = new ExprParser(context);
        this.captures = captures;
    }

    public String name() {
        int paren = keyword.text().indexOf('(');
        return paren < 0 ? keyword.text() : keyword.text().substring(0, paren);
    }

    /** The argument inside the keyword's parentheses ({@code txn.x} in {@code set-var(txn.x)}). */
    public String keywordArgument() throws RuleSyntaxException {
        String text = keyword.text();
        int open = text.indexOf('(');
        if (open < 0 || !text.endsWith(")")) {
            throw error("needs an argument in parentheses: " + name() + "(<scope>.<name>)");
        }
        return text.substring(open + 1, text.length() - 1);
    }

    public Side side() {
        return side;
    }

    CaptureSlots captures() {
        return captures;
    }

    public CompileContext context() {
        return context;
    }

    public List<Word> args() {
        return args;
    }

    public int count() {
        return args.size();
    }

    public Word word(int index) throws RuleSyntaxException {
        if (index >= args.size()) {
            throw error("is missing argument " + (index + 1));
        }
        return args.get(index);
    }

    /** Fails unless the action has between {@code min} and {@code max} words after its keyword. */
    public void expect(int min, int max) throws RuleSyntaxException {
        if (args.size() < min) {
            throw error("needs " + (min == max ? "" : "at least ") + min + " argument(s)");
        }
        if (args.size() > max) {
            throw new RuleSyntaxException(args.get(max).column(), "unexpected '" + args.get(max).text() + "'");
        }
    }

    public SampleExpr expr(int index) throws RuleSyntaxException {
        Word word = word(index);
        return exprs.parse(word.text(), word.column());
    }

    public LogFormat format(int index) throws RuleSyntaxException {
        Word word = word(index);
        return LogFormat.parse(word.text(), word.column(), exprs);
    }

    /**
     * Word {@code index} as the name of a header that luagate writes: a token. HAProxy writes any
     * bytes it is given; the encoders here refuse a non-token name, so it is refused at load.
     */
    public String headerName(int index) throws RuleSyntaxException {
        Word word = word(index);
        if (!HttpToken.isToken(word.text())) {
            throw new RuleSyntaxException(word.column(), "'" + word.text() + "' is not a header name "
                    + "(luagate writes token names only; HAProxy would send its bytes)");
        }
        return word.text();
    }

    /** Word {@code index} as a header value format whose fixed text holds no control byte ({@link #headerValueText}). */
    public LogFormat headerValue(int index) throws RuleSyntaxException {
        LogFormat format = format(index);
        for (String literal : format.literals()) {
            checkHeaderValue(args.get(index), literal);
        }
        return format;
    }

    /**
     * Word {@code index} as a constant header value: no control byte but HTAB. HAProxy sends
     * CR and LF raw (splitting the header) and cuts the value at NUL; luagate's encoders refuse
     * them when the reply is written, so they are refused at load.
     */
    public String headerValueText(int index) throws RuleSyntaxException {
        Word word = word(index);
        checkHeaderValue(word, word.text());
        return word.text();
    }

    private static void checkHeaderValue(Word word, String text) throws RuleSyntaxException {
        int at = FieldValue.controlByte(text);
        if (at >= 0) {
            throw new RuleSyntaxException(word.column(), "header value '" + FieldValue.visible(word.text())
                    + "' holds the control byte " + String.format("\\x%02X", (int) text.charAt(at))
                    + ", which luagate does not send (HAProxy sends it raw; a NUL cuts the value there)");
        }
    }

    public ExprParser exprs() {
        return exprs;
    }

    public RuleSyntaxException error(String message) {
        return new RuleSyntaxException(keyword.column(), "'" + name() + "' " + message);
    }
}
