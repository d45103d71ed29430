package io.luagate.kernel.rule.expr;

import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Converter;
import io.luagate.spi.sample.Fetch;

/**
 * A compiled expression: one fetch, then converters in order. Evaluation stops at the first
 * {@code null} (no sample), as HAProxy's does.
 *
 * @param text the expression as written, for messages
 */
public record SampleExpr(String text, Fetch fetch, Converter[] converters) {

    public Object eval(Transaction txn) {
        Object value = fetch.fetch(txn);
        for (int i = 0; value != null && i < converters.length; i++) {
            value = converters[i].convert(txn, value);
        }
        return value;
    }

    /** The name of the fetch keyword (before any argument), for default match methods. */
    public String fetchKeyword() {
        int paren = text.indexOf('(');
        int comma = text.indexOf(',');
        int end = text.length();
        if (paren >= 0) {
            end = paren;
        }
        if (comma >= 0 && comma < end) {
            end = comma;
        }
        return text.substring(0, end);
    }
}
