package io.luagate.kernel.rule.expr;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.ConverterCompiler;
import io.luagate.kernel.rule.sample.FetchCompiler;
import io.luagate.spi.sample.Converter;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code fetch[(args)][,conv[(args)]]...} as HAProxy does. Arguments are separated by
 * commas; an argument may be quoted ('...' or "...", with backslash escapes in double quotes) to
 * hold commas or parentheses, and unquoted arguments may contain balanced parentheses (regexes).
 */
public final class ExprParser {

    private final CompileContext context;

    public ExprParser(CompileContext context) {
        this.context = context;
    }

    /**
     * Compiles {@code text}, which starts at {@code column} of its rule (for error positions).
     */
    public SampleExpr parse(String text, int column) throws RuleSyntaxException {
        Cursor cursor = new Cursor(text, column);
        Call fetchCall = cursor.call();
        FetchCompiler fetch = context.registry().fetch(fetchCall.name);
        if (fetch == null) {
            throw new RuleSyntaxException(fetchCall.column, "unknown fetch method '" + fetchCall.name + "'");
        }
        var compiledFetch = fetch.compile(new Args(fetchCall.name, fetchCall.args, fetchCall.column), context);
        List<Converter> converters = new ArrayList<>();
        while (cursor.more()) {
            cursor.expect(',');
            Call conv = cursor.call();
            ConverterCompiler compiler = context.registry().converter(conv.name);
            if (compiler == null) {
                throw new RuleSyntaxException(conv.column, "unknown converter '" + conv.name + "'");
            }
            converters.add(compiler.compile(new Args(conv.name, conv.args, conv.column), context));
        }
        return new SampleExpr(text, compiledFetch, converters.toArray(Converter[]::new));
    }

    private record Call(String name, List<String> args, int column) {
    }

    /** Walks the text; columns are 1-based in the rule. */
    private static final class Cursor {
        private final String text;
        private final int base;
        private int pos;

        Cursor(String text, int column) {
            this.text = text;
            this.base = column;
        }

        boolean more() {
            return pos < text.length();
        }

        int column() {
            return base + pos;
        }

        void expect(char c) throws RuleSyntaxException {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw new RuleSyntaxException(column(), "expected '" + c + "' in '" + text + "'");
            }
            pos++;
        }

        Call call() throws RuleSyntaxException {
            int start = pos;
            int column = column();
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '+') {
                    pos++;
                } else {
                    break;
                }
            }
            if (pos == start) {
                throw new RuleSyntaxException(column, "expected a name in '" + text + "'");
            }
            String name = text.substring(start, pos);
            List<String> args = new ArrayList<>();
            if (pos < text.length() && text.charAt(pos) == '(') {
                pos++;
                args = arguments(column);
            }
            return new Call(name, args, column);
        }

        private List<String> arguments(int column) throws RuleSyntaxException {
            List<String> args = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            int depth = 0;
            boolean any = false;
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"' || c == '\'') {
                    int close = quoted(c, current);
                    pos = close + 1;
                    any = true;
                } else if (c == '\\' && pos < text.length()) {
                    escape(current);
                    any = true;
                } else if (c == '(') {
                    depth++;
                    current.append(c);
                    any = true;
                } else if (c == ')' && depth > 0) {
                    depth--;
                    current.append(c);
                } else if (c == ')') {
                    if (any || !args.isEmpty()) {
                        args.add(current.toString());
                    }
                    return args;
                } else if (c == ',' && depth == 0) {
                    args.add(current.toString());
                    current.setLength(0);
                    any = true;
                } else {
                    current.append(c);
                    any = true;
                }
            }
            throw new RuleSyntaxException(column, "missing ')' in '" + text + "'");
        }

        /**
         * The character after a backslash (at {@code pos}), as HAProxy's argument parser decodes
         * it: {@code \\ \" \' \ ,} and {@code \)} stand for themselves, {@code \r \n \t} are
         * controls; any other backslash is kept, so regexes ({@code \.}, {@code \d}) survive.
         */
        private void escape(StringBuilder out) {
            char next = text.charAt(pos++);
            switch (next) {
                case '\\', '"', '\'', ' ', ',', ')', '(' -> out.append(next);
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                default -> out.append('\\').append(next);
            }
        }

        private int quoted(char quote, StringBuilder out) throws RuleSyntaxException {
            int i = pos;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == quote) {
                    return i;
                }
                if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    pos = i + 1;
                    escape(out);
                    i = pos;
                    continue;
                }
                out.append(c);
                i++;
            }
            throw new RuleSyntaxException(base + pos - 1, "unmatched quote in '" + text + "'");
        }
    }
}
