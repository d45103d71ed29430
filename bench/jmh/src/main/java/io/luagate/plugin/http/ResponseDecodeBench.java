package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of decoding one server response as {@code proxy-vs-haproxy.sh}'s nginx sends it (five
 * headers, a 100-byte body), from bytes to the head and its last content, released:
 * {@code luagate} is the upstream codec's own decoder, {@code netty} Netty's
 * {@code HttpResponseDecoder} with the same limits (what the codec used before, without the raw
 * pre-scan of the head it also ran). In this package because the codec is the http plugin's own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResponseDecodeBench {

    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
            + "Date: Mon, 07 Dec 2026 11:00:00 GMT\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Length: 100\r\nConnection: keep-alive\r\n\r\n" + "x".repeat(100);

    @Param({"luagate", "netty"})
    public String decoder;

    private EmbeddedChannel channel;
    private ByteBuf bytes;

    @Setup
    public void setUp() {
        HttpDecoderConfig config = new HttpDecoderConfig().setMaxInitialLineLength(16 * 1024).setMaxHeaderSize(64 * 1024)
                .setMaxChunkSize(16 * 1024).setAllowDuplicateContentLengths(true).setUseRfc9112TransferEncoding(false);
        channel = new EmbeddedChannel("luagate".equals(decoder) ? new UpstreamCodec(config, 101) : new HttpResponseDecoder(config));
        bytes = Unpooled.directBuffer().writeBytes(RESPONSE.getBytes(StandardCharsets.ISO_8859_1));
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        bytes.release();
    }

    @Benchmark
    public int decode() {
        channel.writeInbound(bytes.retainedDuplicate());
        int messages = 0;
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            ReferenceCountUtil.release(msg);
            messages++;
        }
        return messages;
    }
}
