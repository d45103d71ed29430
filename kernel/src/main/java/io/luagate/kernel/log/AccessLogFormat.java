package io.luagate.kernel.log;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.expr.ExprParser;
import io.luagate.kernel.rule.expr.LogFormatScanner;
import io.luagate.kernel.rule.expr.SampleExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A frontend's {@code log-format}: HAProxy's aliases ({@code %ci}, {@code %ST}, {@code %Ta}...)
 * and sample expressions ({@code %[var(txn.flow)]}), compiled once. Expressions are evaluated on
 * the event loop when the stream ends ({@link #evaluate}); everything else is formatted by the
 * log's writer thread from the stream's fields.
 */
public final class AccessLogFormat {

    /** The aliases this build knows, by their HAProxy name. */
    public enum Field {
        CLIENT_IP, CLIENT_PORT, FRONTEND_IP, FRONTEND_PORT, SERVER_IP, SERVER_PORT,
        ACCEPT_DATE, REQUEST_DATE, GMT_DATE, UNIX_TIME, FRONTEND, FRONTEND_TRANSPORT, BACKEND, SERVER,
        TR, TW, TC, TRESP, TA, TT, STATUS, BYTES_READ, BYTES_UPLOADED, CAPTURED_COOKIE_C, CAPTURED_COOKIE_S,
        TERM_STATE, TERM_STATE_COOKIES, ACTCONN, RETRIES, REQUEST_LINE, METHOD, URI, VERSION, UNIQUE_ID
    }

    private static final Map<String, Field> ALIASES = Map.ofEntries(
            Map.entry("ci", Field.CLIENT_IP), Map.entry("cp", Field.CLIENT_PORT),
            Map.entry("fi", Field.FRONTEND_IP), Map.entry("fp", Field.FRONTEND_PORT),
            Map.entry("si", Field.SERVER_IP), Map.entry("sp", Field.SERVER_PORT),
            Map.entry("t", Field.ACCEPT_DATE), Map.entry("tr", Field.REQUEST_DATE), Map.entry("T", Field.GMT_DATE),
            Map.entry("Ts", Field.UNIX_TIME), Map.entry("f", Field.FRONTEND), Map.entry("ft", Field.FRONTEND_TRANSPORT),
            Map.entry("b", Field.BACKEND), Map.entry("s", Field.SERVER),
            Map.entry("TR", Field.TR), Map.entry("Tq", Field.TR), Map.entry("Tw", Field.TW), Map.entry("Tc", Field.TC),
            Map.entry("Tr", Field.TRESP), Map.entry("Ta", Field.TA), Map.entry("Tt", Field.TT),
            Map.entry("ST", Field.STATUS), Map.entry("B", Field.BYTES_READ), Map.entry("U", Field.BYTES_UPLOADED),
            Map.entry("CC", Field.CAPTURED_COOKIE_C), Map.entry("CS", Field.CAPTURED_COOKIE_S),
            Map.entry("ts", Field.TERM_STATE), Map.entry("tsc", Field.TERM_STATE_COOKIES),
            Map.entry("ac", Field.ACTCONN), Map.entry("rc", Field.RETRIES),
            Map.entry("r", Field.REQUEST_LINE), Map.entry("HM", Field.METHOD), Map.entry("HU", Field.URI),
            Map.entry("HV", Field.VERSION), Map.entry("ID", Field.UNIQUE_ID));

    /** One piece of the line. */
    public sealed interface Part permits Literal, Alias, Expr {
    }

    /** Text written as it is. */
    public record Literal(String text) implements Part {
    }

    /** An alias; {@code quoted} is HAProxy's {@code %{+Q}} flag. */
    public record Alias(Field field, boolean quoted) implements Part {
    }

    /** A sample expression; its value is taken at the end of the stream, slot {@code index}. */
    public record Expr(SampleExpr expr, int index, boolean quoted) implements Part {
    }

    private final List<Part> parts;
    private final SampleExpr[] exprs;

    private AccessLogFormat(List<Part> parts, SampleExpr[] exprs) {
        this.parts = parts;
        this.exprs = exprs;
    }

    public List<Part> parts() {
        return parts;
    }

    /** The expressions, in slot order, evaluated when the stream ends. */
    public SampleExpr[] exprs() {
        return exprs;
    }

    public static AccessLogFormat parse(String text, ExprParser parser) throws RuleSyntaxException {
        List<Part> parts = new ArrayList<>();
        List<SampleExpr> exprs = new ArrayList<>();
        LogFormatScanner.scan(text, 1, new LogFormatScanner.Sink() {
            @Override
            public void literal(String part) {
                parts.add(new Literal(part));
            }

            @Override
            public void expr(String expr, int offset, boolean quoted) throws RuleSyntaxException {
                exprs.add(parser.parse(expr, offset + 1));
                parts.add(new Expr(exprs.get(exprs.size() - 1), exprs.size() - 1, quoted));
            }

            @Override
            public void alias(String name, int offset, boolean quoted) throws RuleSyntaxException {
                Field field = ALIASES.get(name);
                if (field == null) {
                    throw new RuleSyntaxException(offset + 1, "unknown log-format alias '%" + name + "'; known: " + String.join(" ",
                            ALIASES.keySet().stream().sorted(String.CASE_INSENSITIVE_ORDER).map(a -> "%" + a).toList()));
                }
                parts.add(new Alias(field, quoted));
            }
        });
        return new AccessLogFormat(List.copyOf(parts), exprs.toArray(SampleExpr[]::new));
    }
}
