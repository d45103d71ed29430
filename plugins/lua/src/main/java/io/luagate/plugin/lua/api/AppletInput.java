package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.spi.service.HttpServiceExchange;
import io.luagate.spi.service.TcpServiceExchange;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * What a client sent to a service and its script has not read yet. Reading from the client pauses
 * while more than {@link #HIGH_WATER} bytes wait unread, and resumes when the script asks for more
 * than what is there: memory stays bounded by what the script itself asks to hold.
 */
final class AppletInput implements HttpServiceExchange.BodyReceiver, TcpServiceExchange.Receiver {

    static final int HIGH_WATER = 64 * 1024;

    private final LuaCall call;
    private final Consumer<Boolean> reading;
    private byte[] bytes = new byte[256];
    private int start;
    private int end;
    /** Where the search for a newline goes on: bytes before it hold none. */
    private int scanned;
    private boolean ended;
    private boolean paused;
    private Runnable waiter;

    AppletInput(LuaCall call, Consumer<Boolean> reading) {
        this.call = call;
        this.reading = reading;
    }

    @Override
    public void data(byte[] part) {
        if (end + part.length > bytes.length) {
            int size = end - start;
            byte[] next = size + part.length > bytes.length ? new byte[Math.max(bytes.length * 2, size + part.length)] : bytes;
            System.arraycopy(bytes, start, next, 0, size);
            scanned -= start;
            bytes = next;
            start = 0;
            end = size;
        }
        System.arraycopy(part, 0, bytes, end, part.length);
        end += part.length;
        if (end - start > HIGH_WATER && !paused) {
            paused = true;
            reading.accept(false);
        }
        wake();
    }

    @Override
    public void end() {
        ended = true;
        wake();
    }

    /** Resumes a waiting script as a task of its own: never from inside the codec's read handler. */
    private void wake() {
        Runnable w = waiter;
        waiter = null;
        if (w != null) {
            call.loop().execute(w);
        }
    }

    /** Everything until the client's end. */
    byte[] all() {
        return take(size -> false, size -> size);
    }

    /** Exactly {@code n} bytes, or fewer if the client ends first. */
    byte[] exactly(int n) {
        return take(size -> size >= n, size -> n);
    }

    /** One line with its {@code \n}, or what is left at the end; {@code ""} once all is read. */
    byte[] line() {
        return take(size -> newline() >= 0, size -> {
            int nl = newline();
            return nl < 0 ? size : nl - start + 1;
        });
    }

    private int newline() {
        for (int i = Math.max(scanned, start); i < end; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        scanned = end;
        return -1;
    }

    private byte[] take(IntPredicate ready, IntUnaryOperator length) {
        while (!ended && !ready.test(end - start)) {
            if (paused) {
                // The script wants more than what waits: let the client send it.
                paused = false;
                call.onLoop(() -> reading.accept(true));
            }
            call.suspend(resume -> waiter = resume);
        }
        int n = Math.min(end - start, length.applyAsInt(end - start));
        byte[] out = Arrays.copyOfRange(bytes, start, start + n);
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
            scanned = 0;
        }
        if (paused && end - start < HIGH_WATER / 2) {
            paused = false;
            call.onLoop(() -> reading.accept(true));
        }
        return out;
    }
}
