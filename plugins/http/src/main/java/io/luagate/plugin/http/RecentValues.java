package io.luagate.plugin.http;

import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header values and request targets an event loop read lately, so that a value seen again
 * (a server's {@code Server}, {@code Content-Type}, {@code Content-Length}, its {@code Date} within
 * one second; a client's {@code Host}, {@code User-Agent}, {@code Accept}; the target {@code /})
 * comes out of the head parser as the String already made for it, not as a new String and a new
 * array. Those were 392 of the 2,161 bytes the loop allocated per proxied request in the benchmark
 * (bench/README.md, fifth round); fewer bytes per request is fewer young collections, each of
 * which stops the loop.
 *
 * <p>A table of {@value #SLOTS} Strings in sets of two, the set chosen by a hash of the bytes, the
 * String checked against them in full: a different value is replaced, never returned. Two ways,
 * not one slot per hash: with one, two values a loop reads on every request could share a slot and
 * push each other out on every request, a new String each time (the benchmark's {@code Host:
 * 127.0.0.1:18090} and {@code Content-Length: 100} share one: bench/README.md, sixth round); a
 * set holds both. Values longer than {@value #LONGEST} bytes are not kept (cookies, tokens: rarely
 * the same twice, and each would cost a compare). A String is immutable, so sharing one between
 * requests changes nothing any reader can see. What the table holds is bounded by its size, and it
 * holds each String only until two newer values of its set have come.
 *
 * <p>One table per thread ({@link #current()}); confined to it.
 */
final class RecentValues {

    static final int SLOTS = 256;
    static final int LONGEST = 128;

    private static final FastThreadLocal<RecentValues> CURRENT = new FastThreadLocal<>() {
        @Override
        protected RecentValues initialValue() {
            return new RecentValues();
        }
    };

    /** What an empty slot holds: longer than any value kept, so it is never the same as one. */
    private static final String NONE = "-".repeat(LONGEST + 1);

    private final String[] slots = new String[SLOTS];
    /** The hash each slot's String was chosen by; an empty slot's is 0 and its String matches nothing. */
    private final int[] hashes = new int[SLOTS];

    RecentValues() {
        Arrays.fill(slots, NONE);
    }

    /** This thread's table. */
    static RecentValues current() {
        return CURRENT.get();
    }

    /** The bytes {@code [from, from + length)} of {@code b} as an ISO-8859-1 String, the one made last time if they are the same. */
    String string(byte[] b, int from, int length) {
        if (length > LONGEST) {
            return new String(b, from, length, StandardCharsets.ISO_8859_1);
        }
        int hash = length;
        for (int i = from, end = from + length; i < end; i++) {
            hash = 31 * hash + b[i];
        }
        int set = (hash ^ hash >>> 8 ^ hash >>> 16) & (SLOTS - 2);
        // The way whose hash is this one's: the second only if the first's is not. Arithmetic, not
        // branches: which way a set's values sit in depends on the order they came in, and a way
        // rarely taken would be compiled as a trap (see same()).
        int first = hashes[set] ^ hash;
        int second = hashes[set + 1] ^ hash;
        int slot = set + ((first | -first) >>> 31 & ~(second | -second) >>> 31);
        String kept = slots[slot];
        // One branch decides, and both of its ways are taken from the first requests on (an empty
        // slot is a miss): no way through here is so rare that the JIT compiles it as a trap.
        if (same(kept, b, from, length)) {
            return kept;
        }
        String made = new String(b, from, length, StandardCharsets.ISO_8859_1);
        // The new value takes the first way, the first's moves to the second, the second's goes.
        slots[set + 1] = slots[set];
        hashes[set + 1] = hashes[set];
        slots[set] = made;
        hashes[set] = hash;
        return made;
    }

    /**
     * Whether {@code kept} has exactly these bytes. Compared without an early way out: a value that
     * differs from the one in its slot only in its content, at the same length (a new second's
     * {@code Date} in the slot of an older one), happens once in millions of look-ups, and a
     * {@code return false} for it was compiled by C2 as an uncommon trap that threw the request
     * path's compiled code away when it came (seen in a benchmark run, 39 s after C2 compiled the parser).
     */
    private static boolean same(String kept, byte[] b, int from, int length) {
        int n = Math.min(kept.length(), length);
        int diff = kept.length() ^ length;
        for (int i = 0; i < n; i++) {
            diff |= kept.charAt(i) ^ (b[from + i] & 0xff);
        }
        return diff == 0;
    }
}
