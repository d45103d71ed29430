package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import java.util.ArrayDeque;

/**
 * The request body parts an exchange holds back before they can go anywhere (no server connection
 * yet, a service's filters still look at the head), and the {@code http-buffer-request} wait on them:
 * a rules step that waits until the body is complete or fills tune.bufsize (HAProxy's
 * {@code http_wait_for_request_body}). Every part held is sent on or released, once. Confined to the
 * client's event loop.
 */
final class RequestBuffering {

    private final HttpSessionHandler session;
    /** The held parts, or {@code null} when none are held (nor waited for). */
    private ArrayDeque<HttpContent> parts;
    /** Bytes held over the exchange's life (parts sent on still count: tune.bufsize bounds them all). */
    private long heldBytes;
    /** The held body as one array, built on first use by req.body. */
    private byte[] array;
    private boolean waiting;

    RequestBuffering(HttpSessionHandler session) {
        this.session = session;
    }

    /** Whether parts are held (possibly none yet: the body is being waited for). */
    boolean holding() {
        return parts != null;
    }

    void hold(HttpContent part) {
        if (parts == null) {
            parts = new ArrayDeque<>(4);
        }
        parts.add(part);
        heldBytes += part.content().readableBytes();
        array = null;
    }

    /** The next held part, or {@code null}; the caller owns it. */
    HttpContent poll() {
        return parts == null ? null : parts.poll();
    }

    /** Everything held was sent on: later parts go straight through. */
    void drained() {
        parts = null;
    }

    long heldBytes() {
        return heldBytes;
    }

    /** The held body as one array (req.body), or {@code null} when nothing is held. */
    byte[] array() {
        if (parts == null) {
            return null;
        }
        if (array == null) {
            byte[] body = new byte[(int) Math.min(heldBytes, Integer.MAX_VALUE - 8)];
            int at = 0;
            for (HttpContent part : parts) {
                ByteBuf buf = part.content();
                int n = Math.min(buf.readableBytes(), body.length - at);
                buf.getBytes(buf.readerIndex(), body, at, n);
                at += n;
            }
            array = body;
        }
        return array;
    }

    /** Drops what is held. */
    void release() {
        if (parts != null) {
            HttpContent part;
            while ((part = parts.poll()) != null) {
                part.release();
            }
            parts = null;
        }
    }

    // ---- http-buffer-request ------------------------------------------------------------------

    /** A rules step waits for the body; the whole wait is bounded by timeout.http-request, as HAProxy bounds it. */
    void startWait() {
        waiting = true;
        if (parts == null) {
            parts = new ArrayDeque<>(4);
        }
        session.bodyWaitStarted();
        session.readIfWanted();
    }

    boolean waiting() {
        return waiting;
    }

    /** The body is ready (or a service took over): the waiting step goes on. */
    void endWait() {
        if (waiting) {
            waiting = false;
            session.bodyWaitEnded();
        }
    }

    /** timeout.http-request struck: {@code true} when the body was being waited for. */
    boolean timedOut() {
        boolean was = waiting;
        waiting = false;
        return was;
    }
}
