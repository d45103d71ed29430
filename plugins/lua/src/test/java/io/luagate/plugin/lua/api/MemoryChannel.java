package io.luagate.plugin.lua.api;

import io.luagate.spi.rule.ChannelBuffer;
import io.netty.channel.EventLoop;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A channel buffer in memory, for the Lua class's tests: the test feeds input, ends it, or ends
 * the rules' waiting, and reads what was sent or forwarded. Used on {@code loop} only.
 */
final class MemoryChannel implements ChannelBuffer {

    private final boolean response;
    private final boolean raw;
    private final int capacity;
    private final EventLoop loop;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private byte[] input = new byte[0];
    private boolean inspected = true;
    private boolean ended;
    private List<Runnable> watchers = new ArrayList<>();

    MemoryChannel(boolean response, boolean raw, int capacity, EventLoop loop) {
        this.response = response;
        this.raw = raw;
        this.capacity = capacity;
        this.loop = loop;
    }

    /** Input arrives. */
    MemoryChannel feed(String text) {
        byte[] more = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(input, input.length + more.length);
        System.arraycopy(more, 0, all, input.length, more.length);
        input = all;
        wake();
        return this;
    }

    /** The rules stop waiting for more (their last evaluation). */
    MemoryChannel lastEvaluation() {
        inspected = false;
        wake();
        return this;
    }

    /** The producer ends its output. */
    MemoryChannel end() {
        ended = true;
        wake();
        return this;
    }

    /** Whether a caller waits for a change. */
    boolean hasWatchers() {
        return !watchers.isEmpty();
    }

    String held() {
        return new String(input, StandardCharsets.ISO_8859_1);
    }

    /** What was sent or forwarded to the peer. */
    String out() {
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private void wake() {
        List<Runnable> tasks = watchers;
        watchers = new ArrayList<>();
        tasks.forEach(loop::execute);
    }

    private void requireRaw() {
        if (!raw) {
            throw new UnsupportedOperationException(HTTP_MODE);
        }
    }

    @Override
    public boolean isResponse() {
        return response;
    }

    @Override
    public boolean rawAccess() {
        return raw;
    }

    @Override
    public int input() {
        return input.length;
    }

    @Override
    public int output() {
        return 0;
    }

    @Override
    public boolean mayReceive() {
        return !ended && input.length < capacity;
    }

    @Override
    public boolean isFull() {
        return input.length >= capacity;
    }

    @Override
    public boolean moreMayCome() {
        return raw && inspected && mayReceive();
    }

    @Override
    public void onChange(Runnable task) {
        requireRaw();
        watchers.add(task);
    }

    @Override
    public byte[] read(int offset, int length) {
        requireRaw();
        return Arrays.copyOfRange(input, offset, offset + length);
    }

    @Override
    public int set(int offset, int length, byte[] data) {
        requireRaw();
        if (data.length > capacity - input.length + length) {
            return -1;
        }
        byte[] all = new byte[input.length - length + data.length];
        System.arraycopy(input, 0, all, 0, offset);
        System.arraycopy(data, 0, all, offset, data.length);
        System.arraycopy(input, offset + length, all, offset + data.length, input.length - offset - length);
        input = all;
        return data.length;
    }

    @Override
    public int remove(int offset, int length) {
        set(offset, length, new byte[0]);
        return length;
    }

    @Override
    public int send(byte[] data) {
        requireRaw();
        int n = Math.min(data.length, capacity - input.length);
        out.write(data, 0, n);
        return n;
    }

    @Override
    public int forward(int length) {
        requireRaw();
        int n = Math.min(length, input.length);
        out.write(input, 0, n);
        input = Arrays.copyOfRange(input, n, input.length);
        return n;
    }
}
