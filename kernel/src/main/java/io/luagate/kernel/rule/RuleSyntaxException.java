package io.luagate.kernel.rule;

/** A rule that cannot be compiled; {@code column} is 1-based (0 when the whole rule is at fault). */
public final class RuleSyntaxException extends Exception {

    private final int column;

    public RuleSyntaxException(int column, String message) {
        super(message);
        this.column = column;
    }

    public int column() {
        return column;
    }
}
