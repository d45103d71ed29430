package io.luagate.spi.rule;

/**
 * The bytes one direction of a stream holds back while its content rules inspect them (HAProxy's
 * channel: {@code txn.req}, {@code txn.res}). <em>Input</em> is what arrived and was not
 * forwarded yet: rules read and change it. <em>Output</em> is what was forwarded (or injected)
 * and not yet written to the peer. Offsets are relative to the start of the input.
 *
 * <p>In TCP mode the codec holds the first bytes of each direction while {@code tcp-request
 * content} / {@code tcp-response content} rules run; in HTTP mode only the lengths and the state
 * can be asked, and every method that reads or changes bytes throws
 * {@link UnsupportedOperationException} with {@link #HTTP_MODE} (as HAProxy refuses it).
 *
 * <p>Used on the stream's event loop only. Methods never block; a caller that wants more input
 * registers with {@link #onChange} and looks again when it runs.
 */
public interface ChannelBuffer {

    /** HAProxy's message for a byte operation on an HTTP stream's channel. */
    String HTTP_MODE = "Cannot manipulate HAProxy channels in HTTP mode.";

    /** Whether this is the response direction (server to client). */
    boolean isResponse();

    /** Whether the bytes can be read and changed (TCP mode); false in HTTP mode. */
    boolean rawAccess();

    /** How many bytes of input are held. */
    int input();

    /** How many bytes were forwarded or sent and are not written to the peer yet. */
    int output();

    /** Whether more input may still be received: the producer did not end it and there is room. */
    boolean mayReceive();

    /** Whether input and output fill the buffer: nothing more is received until some leaves. */
    boolean isFull();

    /**
     * Whether waiting for more input can be worth it now: more may be received, and the rules of
     * this direction still inspect it and are not in their last evaluation (inspect-delay over,
     * buffer full, end of input). False in HTTP mode.
     */
    boolean moreMayCome();

    /**
     * Runs {@code task} once, on the stream's event loop, after the next change that may matter to
     * a waiting caller: input arrived or ended, the rules' last evaluation began, written output
     * made room, or the buffer went away (the stream ended or became a plain tunnel).
     */
    void onChange(Runnable task);

    /** A copy of {@code length} input bytes from {@code offset}. */
    byte[] read(int offset, int length);

    /**
     * Replaces {@code length} input bytes at {@code offset} by {@code data}.
     *
     * @return {@code data.length}, or -1 when the buffer has no room for it (nothing changed)
     */
    int set(int offset, int length, byte[] data);

    /** Inserts {@code data} at {@code offset}; the length, 0 for no data, -1 when there is no room. */
    default int insert(int offset, byte[] data) {
        return data.length == 0 ? 0 : set(offset, 0, data);
    }

    /** Removes {@code length} input bytes at {@code offset}; returns {@code length}. */
    int remove(int offset, int length);

    /** Adds {@code data} at the end of the input. */
    default int append(byte[] data) {
        return insert(input(), data);
    }

    /** Adds {@code data} in front of the input. */
    default int prepend(byte[] data) {
        return insert(0, data);
    }

    /**
     * Sends {@code data} to the peer now, ahead of the held input, as much as the buffer has room
     * for.
     *
     * @return how many bytes were taken (possibly fewer than given), or -1 when the peer can no
     *         longer be written to
     */
    int send(byte[] data);

    /**
     * Lets the first {@code length} input bytes (at most what is held) go to the peer without
     * further inspection.
     *
     * @return how many bytes were forwarded
     */
    int forward(int length);
}
