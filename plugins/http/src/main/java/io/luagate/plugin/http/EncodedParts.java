package io.luagate.plugin.http;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;

/**
 * The list a response encoder fills for one write (a head, a body piece, a chunk's framing) and
 * empties before the write returns: one per thread, lent out, instead of one per connection. Netty's
 * encoder keeps its own list, whose array (56 bytes) every idle connection would hold after its
 * first response. A write made while the thread's list is out (an encoder writing from inside
 * another's write) gets a list of its own.
 */
final class EncodedParts {

    private static final FastThreadLocal<EncodedParts> FREE = new FastThreadLocal<>() {
        @Override
        protected EncodedParts initialValue() {
            return new EncodedParts();
        }
    };

    private final ArrayList<Object> list = new ArrayList<>(4);
    private boolean lent;

    private EncodedParts() {
    }

    /** The thread's list, empty; give it back with {@link #giveBack(ArrayList)}. */
    static ArrayList<Object> borrow() {
        EncodedParts parts = FREE.get();
        if (parts.lent) {
            return new ArrayList<>(4);
        }
        parts.lent = true;
        return parts.list;
    }

    /** Empties {@code list}; the thread's own list can then be lent again. */
    static void giveBack(ArrayList<Object> list) {
        list.clear();
        EncodedParts parts = FREE.get();
        if (parts.list == list) {
            parts.lent = false;
        }
    }
}
