package io.luagate.kernel.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import java.util.Arrays;

/**
 * The read-size policy of accepted connections: the policy of Netty's
 * {@code AdaptiveRecvByteBufAllocator} with its defaults (first read 2,048 bytes, then between 64
 * and 65,536 along the same table of sizes, up four steps after a read that filled its buffer,
 * down one after two reads in a row that would have fit the size below) and at most 16 reads per
 * read, as Netty sets it for a socket, but with a handle of 32 bytes. A connection makes its handle
 * at its first read and keeps it while it lives, idle or not: Netty's handle, with its size
 * calculator and its supplier object, takes 112 bytes.
 */
final class ReadSizing implements MaxMessagesRecvByteBufAllocator {

    /** Reads at most per read while auto-read is on (a tunnel); one per read() otherwise. */
    static final int MAX_READS = 16;

    /** 16 to 496 in steps of 16, then powers of two: Netty's table, so that the sizes match. */
    private static final int[] SIZES = sizes();
    private static final int MIN_INDEX = index(64);
    private static final int FIRST_INDEX = index(2048);
    private static final int MAX_INDEX = index(65536);
    private static final int GROW_STEPS = 4;

    @Override
    public Handle newHandle() {
        return new Reads();
    }

    /** Netty's channel options read it (a channel's config lists every option's value). */
    @Override
    public int maxMessagesPerRead() {
        return MAX_READS;
    }

    /** Shared by every connection: its settings are fixed. */
    @Override
    public MaxMessagesRecvByteBufAllocator maxMessagesPerRead(int maxMessagesPerRead) {
        if (maxMessagesPerRead != MAX_READS) {
            throw new UnsupportedOperationException("accepted connections read at most " + MAX_READS + " times per read");
        }
        return this;
    }

    private static int[] sizes() {
        int[] sizes = new int[64];
        int n = 0;
        for (int size = 16; size < 512; size += 16) {
            sizes[n++] = size;
        }
        for (int size = 512; size > 0; size <<= 1) {
            sizes[n++] = size;
        }
        return Arrays.copyOf(sizes, n);
    }

    /** The index of the smallest size at least {@code size}. */
    static int index(int size) {
        int i = 0;
        while (i < SIZES.length - 1 && SIZES[i] < size) {
            i++;
        }
        return i;
    }

    static int size(int index) {
        return SIZES[index];
    }

    /**
     * One connection's reads. The counters are those of one read (reset at its start); the size's
     * index and the pending decrease carry over from one read to the next.
     */
    static final class Reads implements RecvByteBufAllocator.ExtendedHandle {

        private ChannelConfig config;
        private int totalBytes;
        private int attemptedBytes;
        private int lastBytes;
        private byte messages;
        private byte index = (byte) FIRST_INDEX;
        private boolean decreaseNow;

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return alloc.ioBuffer(guess());
        }

        @Override
        public int guess() {
            return SIZES[index];
        }

        @Override
        public void reset(ChannelConfig config) {
            this.config = config;
            messages = 0;
            totalBytes = 0;
        }

        @Override
        public void incMessagesRead(int numMessages) {
            messages = (byte) Math.min(messages + numMessages, MAX_READS);
        }

        @Override
        public void lastBytesRead(int bytes) {
            if (bytes == attemptedBytes) {
                // A read that filled its buffer: grow now, not only at the end of the read.
                record(bytes);
            }
            lastBytes = bytes;
            if (bytes > 0) {
                totalBytes += bytes;
                if (totalBytes < 0) {
                    totalBytes = Integer.MAX_VALUE;
                }
            }
        }

        @Override
        public int lastBytesRead() {
            return lastBytes;
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            attemptedBytes = bytes;
        }

        @Override
        public int attemptedBytesRead() {
            return attemptedBytes;
        }

        @Override
        public boolean continueReading() {
            return config.isAutoRead() && attemptedBytes == lastBytes && messages < MAX_READS && totalBytes > 0;
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return config.isAutoRead() && maybeMoreDataSupplier.get() && messages < MAX_READS && totalBytes > 0;
        }

        @Override
        public void readComplete() {
            record(totalBytes);
        }

        private void record(int bytes) {
            if (bytes <= SIZES[Math.max(0, index - 1)]) {
                if (decreaseNow) {
                    index = (byte) Math.max(index - 1, MIN_INDEX);
                    decreaseNow = false;
                } else {
                    decreaseNow = true;
                }
            } else if (bytes >= SIZES[index]) {
                index = (byte) Math.min(index + GROW_STEPS, MAX_INDEX);
                decreaseNow = false;
            }
        }
    }
}
