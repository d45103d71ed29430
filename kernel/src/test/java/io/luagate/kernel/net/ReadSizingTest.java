package io.luagate.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.config.Settings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The read-size policy of accepted connections against Netty's adaptive one, read for read, and
 * on a real accepted socket.
 */
class ReadSizingTest {

    /** One read of a socket as Netty's read loops make it: how much each attempt got. */
    private static boolean readLoop(RecvByteBufAllocator.ExtendedHandle handle, ChannelConfig config, int[] got) {
        handle.reset(config);
        boolean more = true;
        int i = 0;
        do {
            handle.attemptedBytesRead(handle.guess());
            handle.lastBytesRead(Math.min(got[i], handle.guess()));
            if (handle.lastBytesRead() <= 0) {
                break;
            }
            handle.incMessagesRead(1);
            i++;
            more = i < got.length && handle.continueReading();
        } while (more);
        handle.readComplete();
        return i < got.length;
    }

    @Test
    void guessesTheSizesNettysAdaptivePolicyGuessesReadForRead() {
        Random random = new Random(14);
        for (boolean autoRead : new boolean[] {false, true}) {
            ChannelConfig config = new EmbeddedChannel().config().setAutoRead(autoRead);
            RecvByteBufAllocator.ExtendedHandle netty = (RecvByteBufAllocator.ExtendedHandle)
                    new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(ReadSizing.MAX_READS).newHandle();
            RecvByteBufAllocator.ExtendedHandle ours = (RecvByteBufAllocator.ExtendedHandle) new ReadSizing().newHandle();
            for (int round = 0; round < 20_000; round++) {
                int[] got = new int[random.nextInt(1, 40)];
                // Mostly small requests, bursts of large bodies, and reads that find nothing.
                int scale = random.nextInt(10) < 7 ? 600 : 200_000;
                for (int i = 0; i < got.length; i++) {
                    got[i] = random.nextInt(20) == 0 ? 0 : random.nextInt(1, scale);
                }
                assertEquals(netty.guess(), ours.guess(), "the first guess of round " + round);
                boolean nettyLeft = readLoop(netty, config, got);
                boolean oursLeft = readLoop(ours, config, got);
                assertEquals(nettyLeft, oursLeft, "where the loop stopped, round " + round);
                assertEquals(netty.lastBytesRead(), ours.lastBytesRead());
                assertEquals(netty.attemptedBytesRead(), ours.attemptedBytesRead());
                assertEquals(netty.guess(), ours.guess(), "the guess after round " + round);
            }
        }
    }

    @Test
    void stopsAfterSixteenReadsAndWhenAReadDidNotFillItsBuffer() {
        ChannelConfig config = new EmbeddedChannel().config().setAutoRead(true);
        RecvByteBufAllocator.ExtendedHandle handle = (RecvByteBufAllocator.ExtendedHandle) new ReadSizing().newHandle();
        handle.reset(config);
        for (int i = 0; i < ReadSizing.MAX_READS; i++) {
            handle.attemptedBytesRead(handle.guess());
            handle.lastBytesRead(handle.guess());
            handle.incMessagesRead(1);
            assertEquals(i < ReadSizing.MAX_READS - 1, handle.continueReading(), "after read " + (i + 1));
        }
        assertEquals(65536, handle.guess(), "full reads grow the size to its largest");
        handle.readComplete();
        handle.reset(config);
        handle.attemptedBytesRead(handle.guess());
        handle.lastBytesRead(100);
        handle.incMessagesRead(1);
        assertFalse(handle.continueReading(), "a read that left room found all there was");
        assertTrue(handle.continueReading(() -> true), "unless the transport knows better (epoll's RDHUP)");
        config.setAutoRead(false);
        assertFalse(handle.continueReading(() -> true), "without auto-read, one read per read()");
    }

    @Test
    void isSharedWithFixedSettings() {
        ReadSizing sizing = new ReadSizing();
        assertEquals(ReadSizing.MAX_READS, sizing.maxMessagesPerRead());
        assertEquals(sizing, sizing.maxMessagesPerRead(ReadSizing.MAX_READS));
        assertThrows(UnsupportedOperationException.class, () -> sizing.maxMessagesPerRead(4));
        assertEquals(2048, sizing.newHandle().guess());
        assertEquals(64, ReadSizing.size(ReadSizing.index(64)));
        assertEquals(496, ReadSizing.size(ReadSizing.index(490)));
    }

    @Test
    void anAcceptedConnectionReadsWithItAndGetsEveryByte() throws Exception {
        EventLoops loops = new EventLoops(1);
        ConnectionLimiter limiter = new ConnectionLimiter(10);
        Listeners listeners = new Listeners(loops, limiter);
        int total = 4 * 1024 * 1024;
        AtomicLong received = new AtomicLong();
        CompletableFuture<Channel> done = new CompletableFuture<>();
        try {
            BoundListener listener = new FrontendListeners("fe",
                    List.of(new Settings.Bind(new InetSocketAddress("127.0.0.1", 0), 0, "test")), limiter).all().get(0);
            InetSocketAddress address = listeners.bind(listener, new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            // As a tunnel reads: auto-read on, up to sixteen reads per wake-up.
                            ctx.channel().config().setAutoRead(true);
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            received.addAndGet(((ByteBuf) msg).readableBytes());
                            ((ByteBuf) msg).release();
                            if (received.get() == total) {
                                done.complete(ctx.channel());
                            }
                        }
                    });
                }
            }).get(0);
            try (Socket client = new Socket()) {
                client.connect(address, 2000);
                OutputStream out = client.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                for (int sent = 0; sent < total; sent += chunk.length) {
                    out.write(chunk);
                }
                out.flush();
                Channel served = done.get(10, TimeUnit.SECONDS);
                assertNotNull(served);
                assertInstanceOf(ReadSizing.class, served.config().getOption(ChannelOption.RCVBUF_ALLOCATOR));
                assertEquals(ReadSizing.MAX_READS, served.config().getOption(ChannelOption.MAX_MESSAGES_PER_READ));
                assertEquals(total, received.get());
            }
        } finally {
            listeners.close();
            loops.close();
        }
    }
}
