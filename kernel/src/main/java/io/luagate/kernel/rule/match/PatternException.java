package io.luagate.kernel.rule.match;

/** A pattern, map entry or pattern file that cannot be used; {@code origin} says where it was written. */
public final class PatternException extends Exception {

    private final String origin;

    public PatternException(String origin, String message) {
        super(message);
        this.origin = origin;
    }

    public String origin() {
        return origin;
    }
}
