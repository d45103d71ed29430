package io.luagate.plugin.http;

import io.luagate.spi.filter.FilterInstance;
import io.luagate.spi.filter.FilterResult;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.ProxySide;
import io.luagate.spi.rule.Transaction;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter instances of one exchange, the frontend's then the backend's, and the steps the
 * exchange runs through them. A step that a filter makes wait ({@link FilterResult#WAIT}) runs
 * again on a timer of the exchange's loop, from that filter on; the message waits meanwhile.
 * Everything runs on the exchange's loop.
 */
final class ExchangeFilters {

    private static final Logger LOG = LoggerFactory.getLogger(ExchangeFilters.class);

    private static final int REQUEST_STARTED = 1;
    private static final int REQUEST_ENDED = 2;
    private static final int RESPONSE_STARTED = 4;
    private static final int RESPONSE_ENDED = 8;

    private final Transaction txn;
    private final EventExecutor loop;
    private final ByteBufAllocator alloc;
    private final List<FilterInstance> instances = new ArrayList<>(2);
    /** Per instance: which directions it analyses, and which it finished. */
    private int[] states = new int[2];
    private FilteredMessage request;
    private FilteredMessage response;
    private ScheduledFuture<?> retry;
    private boolean closed;

    ExchangeFilters(Transaction txn, EventExecutor loop, ByteBufAllocator alloc) {
        this.txn = txn;
        this.loop = loop;
        this.alloc = alloc;
    }

    /**
     * Attaches the filters declared on {@code side} to the stream and starts their request
     * analysis; then {@code then} runs, or {@code failed} when one says ERROR.
     */
    void attachAndStart(ProxySide side, Runnable then, Runnable failed) {
        int from = instances.size();
        txn.stream().rules().attachFilters(side, txn, instances);
        if (states.length < instances.size()) {
            states = java.util.Arrays.copyOf(states, instances.size());
        }
        run(from, i -> {
            states[i] |= REQUEST_STARTED;
            return instances.get(i).startAnalyze(txn, false);
        }, then, failed);
    }

    /** The response head arrived: every instance starts analysing the response. */
    void startResponse(Runnable then, Runnable failed) {
        run(0, i -> {
            states[i] |= RESPONSE_STARTED;
            return instances.get(i).startAnalyze(txn, true);
        }, then, failed);
    }

    /** The head of one direction is about to leave. */
    void headers(boolean isResponse, HttpHead head, Runnable then, Runnable failed) {
        FilteredMessage message = message(isResponse, head);
        run(0, i -> instances.get(i).httpHeaders(txn, message), then, failed);
    }

    /** Whether any instance sees the body of that direction. */
    boolean wantsPayload(boolean isResponse) {
        for (FilterInstance instance : instances) {
            if (instance.wantsPayload(isResponse)) {
                return true;
            }
        }
        return false;
    }

    /** How a direction's head left: whether a body follows, and whether its length may change. */
    void framing(boolean isResponse, boolean hasBody, boolean resizable) {
        FilteredMessage message = isResponse ? response : request;
        if (message != null) {
            message.framing(hasBody, resizable);
        }
    }

    /**
     * A body part passes: the filters that see this direction's body may read or change it. A
     * message without a body passes its (empty) end here once, as HAProxy calls http_payload once
     * for it; its length cannot change.
     *
     * @return the part to send, or {@code null} when a filter said ERROR (the part is released)
     */
    HttpContent payload(boolean isResponse, HttpContent content) {
        FilteredMessage message = isResponse ? response : request;
        if (message == null || !wantsPayload(isResponse)) {
            return content;
        }
        message.pass(content);
        for (FilterInstance instance : instances) {
            if (instance.wantsPayload(isResponse)
                    && call(() -> instance.httpPayload(txn, message)) == FilterResult.ERROR) {
                message.take().release();
                return null;
            }
        }
        return message.take();
    }

    /**
     * The message's last part passes (after {@link #payload}): http_end sees it, and may still
     * change it. Runs to completion: a WAIT here counts as CONTINUE.
     *
     * @return the last part to send, or {@code null} when a filter said ERROR (the part is released)
     */
    HttpContent end(boolean isResponse, HttpContent last) {
        FilteredMessage message = isResponse ? response : request;
        if (message == null) {
            return last;
        }
        message.pass(last);
        for (FilterInstance instance : instances) {
            if (call(() -> instance.httpEnd(txn, message)) == FilterResult.ERROR) {
                message.take().release();
                return null;
            }
        }
        endAnalyze(isResponse);
        return message.take();
    }

    /** One direction's analysis ends; each instance hears it once. */
    private void endAnalyze(boolean isResponse) {
        int started = isResponse ? RESPONSE_STARTED : REQUEST_STARTED;
        int ended = isResponse ? RESPONSE_ENDED : REQUEST_ENDED;
        for (int i = 0; i < instances.size(); i++) {
            if ((states[i] & (started | ended)) == started) {
                states[i] |= ended;
                FilterInstance instance = instances.get(i);
                call(() -> instance.endAnalyze(txn, isResponse));
            }
        }
    }

    /** The exchange was answered by the proxy: a waiting step is dropped (the instances stay until {@link #close()}). */
    void cancelWait() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    /** Whether a step waits for a filter. */
    boolean waiting() {
        return retry != null;
    }

    /** The stream ended: directions still analysed end now, then every instance is dropped. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancelWait();
        endAnalyze(false);
        endAnalyze(true);
        for (FilterInstance instance : instances) {
            try {
                instance.detach();
            } catch (RuntimeException e) {
                LOG.warn("a filter failed to detach", e);
            }
        }
        instances.clear();
    }

    private FilteredMessage message(boolean isResponse, HttpHead head) {
        if (isResponse) {
            if (response == null) {
                response = new FilteredMessage(head, true, alloc);
            }
            return response;
        }
        if (request == null) {
            request = new FilteredMessage(head, false, alloc);
        }
        return request;
    }

    private void run(int from, IntFunction<FilterResult> step, Runnable then, Runnable failed) {
        for (int i = from; i < instances.size(); i++) {
            int at = i;
            FilterResult result = call(() -> step.apply(at));
            if (result == FilterResult.ERROR) {
                failed.run();
                return;
            }
            if (result == FilterResult.WAIT) {
                long delay = Math.max(1, instances.get(i).wakeDelayMillis());
                retry = loop.schedule(() -> {
                    retry = null;
                    if (!closed) {
                        run(at, step, then, failed);
                    }
                }, delay, TimeUnit.MILLISECONDS);
                return;
            }
        }
        then.run();
    }

    private static FilterResult call(java.util.function.Supplier<FilterResult> callback) {
        try {
            FilterResult result = callback.get();
            return result == null ? FilterResult.CONTINUE : result;
        } catch (RuntimeException e) {
            LOG.warn("a filter callback failed; the stream fails as on an ERROR result", e);
            return FilterResult.ERROR;
        }
    }
}
