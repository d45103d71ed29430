package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaString;

/**
 * A growable byte buffer that hands its array to the resulting {@link LuaString} without a
 * copy. Lua strings are bytes, so building them through {@code StringBuilder} would need an
 * encoding round trip and break binary data.
 */
final class ByteSink {

    /** Java's practical array size limit. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private byte[] buf;
    private int len;

    ByteSink(int capacity) {
        buf = new byte[Math.max(capacity, 16)];
    }

    int length() {
        return len;
    }

    private void ensure(int extra) {
        int need = len + extra;
        if (need < 0 || need > MAX_ARRAY) {
            throw new org.luaj.vm2.LuaError("resulting string too large");
        }
        if (need > buf.length) {
            int cap = (int) Math.min(MAX_ARRAY, Math.max((long) buf.length * 2, need));
            HeapBudget.reserve(cap);
            buf = java.util.Arrays.copyOf(buf, cap);
        }
    }

    void add(int b) {
        if (len == buf.length) {
            ensure(1);
        }
        buf[len++] = (byte) b;
    }

    void add(byte[] src, int off, int n) {
        ensure(n);
        System.arraycopy(src, off, buf, len, n);
        len += n;
    }

    void add(LuaString s) {
        add(s.m_bytes, s.m_offset, s.m_length);
    }

    /** For ASCII-only text (digits, signs, fixed words). */
    void addAscii(CharSequence s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    /** Decimal digits straight into the buffer: the plain {@code %d} path allocates nothing else. */
    void addDecimal(long v) {
        if (v == Long.MIN_VALUE) {
            addAscii("-9223372036854775808");
            return;
        }
        int digits = 1;
        for (long t = Math.abs(v); t >= 10; t /= 10) {
            digits++;
        }
        int n = digits + (v < 0 ? 1 : 0);
        ensure(n);
        int end = len + n;
        long t = Math.abs(v);
        for (int i = end - 1; i >= end - digits; i--) {
            buf[i] = (byte) ('0' + (t % 10));
            t /= 10;
        }
        if (v < 0) {
            buf[len] = '-';
        }
        len = end;
    }

    void fill(int b, int n) {
        if (n <= 0) {
            return;
        }
        ensure(n);
        java.util.Arrays.fill(buf, len, len + n, (byte) b);
        len += n;
    }

    LuaString toLuaString() {
        return LuaString.valueUsing(buf, 0, len);
    }
}
