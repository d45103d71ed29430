package io.luagate.kernel.rule.match;

/**
 * A pattern, map entry or pattern file that cannot be used. {@code origin} says where it was
 * written, as text (a file name, a line); the message holds bytes, one per {@code char}, as the
 * patterns it quotes do: a file name in it is its UTF-8 bytes ({@code ConfigBytes.of}), so that
 * the message is decoded once for people, and the runtime API sends it as it is.
 */
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
