package io.luagate.plugin.http;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayDeque;

/**
 * The final response head (a server's or a service's) held while the response analysers run (an
 * action or a filter may make them wait, and one that answers drops it), with the body parts that
 * arrive meanwhile. Every part held is sent on or released, once. Confined to the client's loop.
 */
final class HeldResponse {

    private HttpResponse head;
    private ArrayDeque<HttpContent> parts;
    /** The whole response is among the held parts: its server may close its connection now. */
    private boolean complete;

    void hold(HttpResponse head) {
        this.head = head;
    }

    /** Whether a head is held (its body parts are then held too). */
    boolean holding() {
        return head != null;
    }

    void add(HttpContent part, boolean last) {
        if (parts == null) {
            parts = new ArrayDeque<>(4);
        }
        parts.add(part);
        complete |= last;
    }

    boolean complete() {
        return complete;
    }

    /** The analysers let the head through: it is the caller's now; the parts follow through {@link #poll()}. */
    HttpResponse takeHead() {
        HttpResponse taken = head;
        head = null;
        return taken;
    }

    /** The next held part, or {@code null}; the caller owns it. */
    HttpContent poll() {
        return parts == null ? null : parts.poll();
    }

    /** Drops the head (the exchange answers otherwise) and releases the parts. */
    void release() {
        head = null;
        if (parts != null) {
            HttpContent part;
            while ((part = parts.poll()) != null) {
                part.release();
            }
            parts = null;
        }
    }
}
