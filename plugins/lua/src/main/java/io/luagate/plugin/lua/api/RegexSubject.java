package io.luagate.plugin.lua.api;

import org.luaj.vm2.LuaString;

/**
 * A Lua string as the text a Java regex reads: one char per byte (Latin-1), without copying, and
 * with a budget of character reads. The budget stands in for PCRE's match limit: a pattern that
 * backtracks without end stops with {@link Exhausted} instead of holding the event loop, and the
 * caller counts it as no match, as HAProxy does when PCRE gives up.
 */
final class RegexSubject implements CharSequence {

    /** Thrown when the reads are used up. One shared instance: it carries no stack or state. */
    static final class Exhausted extends RuntimeException {
        static final Exhausted INSTANCE = new Exhausted();

        private Exhausted() {
            super("regex match limit reached", null, false, false);
        }
    }

    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final long[] budget;

    private RegexSubject(byte[] bytes, int offset, int length, long[] budget) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.budget = budget;
    }

    /** A view of {@code s} allowing {@code reads} character reads in all. */
    static RegexSubject of(LuaString s, long reads) {
        return new RegexSubject(s.m_bytes, s.m_offset, s.m_length, new long[] {reads});
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (--budget[0] < 0) {
            throw Exhausted.INSTANCE;
        }
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return (char) (bytes[offset + index] & 0xFF);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        if (start < 0 || end > length || start > end) {
            throw new IndexOutOfBoundsException("[" + start + ", " + end + ") of " + length);
        }
        return new RegexSubject(bytes, offset + start, end - start, budget);
    }

    @Override
    public String toString() {
        return new String(bytes, offset, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
