package io.luagate.kernel.rule.expr;

import io.luagate.kernel.rule.sample.MultiValueFetch;
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
        return convert(txn, fetch.fetch(txn));
    }

    private Object convert(Transaction txn, Object value) {
        for (int i = 0; value != null && i < converters.length; i++) {
            value = converters[i].convert(txn, value);
        }
        return value;
    }

    /** Tests a sample; used to match every value of a multi-valued fetch without allocating. */
    @FunctionalInterface
    public interface SampleTest extends MultiValueFetch.ValueTest {
    }

    /**
     * Whether any value of this expression passes {@code test}: every value of a multi-valued
     * fetch (each converted), else the single value. Absent values never pass.
     */
    public boolean anyMatch(Transaction txn, SampleTest test) {
        if (fetch instanceof MultiValueFetch multi) {
            if (converters.length == 0) {
                return multi.anyValue(txn, test);
            }
            return multi.anyValue(txn, value -> {
                Object converted = convert(txn, value);
                return converted != null && test.test(converted);
            });
        }
        Object value = eval(txn);
        return value != null && test.test(value);
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
