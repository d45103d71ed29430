package io.luagate.kernel.rule.sample;

import io.luagate.kernel.rule.RuleSyntaxException;
import java.util.List;

/**
 * The arguments of a fetch or converter as written ({@code hdr(host,1)} gives "host" and "1"),
 * with the column of the keyword for error messages. Parsed into typed values at load time.
 */
public final class Args {

    private final String keyword;
    private final List<String> values;
    private final int column;

    public Args(String keyword, List<String> values, int column) {
        this.keyword = keyword;
        this.values = List.copyOf(values);
        this.column = column;
    }

    public String keyword() {
        return keyword;
    }

    public int count() {
        return values.size();
    }

    public int column() {
        return column;
    }

    public List<String> all() {
        return values;
    }

    /** Fails unless there are between {@code min} and {@code max} arguments. */
    public Args expect(int min, int max) throws RuleSyntaxException {
        if (values.size() < min || values.size() > max) {
            String expected = min == max ? Integer.toString(min) : min + " to " + max;
            throw error("takes " + expected + " argument(s), got " + values.size());
        }
        return this;
    }

    public String string(int index) throws RuleSyntaxException {
        if (index >= values.size()) {
            throw error("argument " + (index + 1) + " is missing");
        }
        return values.get(index);
    }

    public String string(int index, String fallback) {
        return index < values.size() && !values.get(index).isEmpty() ? values.get(index) : fallback;
    }

    public long integer(int index) throws RuleSyntaxException {
        String text = string(index);
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw error("argument " + (index + 1) + " ('" + text + "') is not an integer");
        }
    }

    public long integer(int index, long fallback) throws RuleSyntaxException {
        return index < values.size() && !values.get(index).isEmpty() ? integer(index) : fallback;
    }

    /** A problem with this keyword's arguments, located at the keyword. */
    public RuleSyntaxException error(String message) {
        return new RuleSyntaxException(column, "'" + keyword + "' " + message);
    }
}
