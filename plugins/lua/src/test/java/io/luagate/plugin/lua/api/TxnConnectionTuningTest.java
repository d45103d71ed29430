package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.stream.Session;
import io.luagate.spi.stream.Stream;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;

/**
 * {@code txn:set_tos}, {@code set_mark}, {@code set_priority_class}, {@code set_priority_offset}
 * from a real script, on a real client connection accepted over 127.0.0.1: the TOS is read back
 * from the accepted socket with {@code getsockopt}.
 */
class TxnConnectionTuningTest {

    private static final String SCRIPT = """
            core.register_fetches("call", function(txn, method, ...) return txn[method](txn, ...) end)
            """;

    @TempDir
    Path dir;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private Channel listener;
    private Channel client;
    /** The proxy's side of the client connection: what the TXN's session holds. */
    private Channel accepted;
    private ScriptRunner lua;
    private Transaction txn;

    @BeforeEach
    void connect() throws Exception {
        CompletableFuture<Channel> acceptedFuture = new CompletableFuture<>();
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        acceptedFuture.complete(ctx.channel());
                        ctx.fireChannelActive();
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        client = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInboundHandlerAdapter())
                .connect(listener.localAddress()).sync().channel();
        accepted = acceptedFuture.get(10, TimeUnit.SECONDS);
        lua = new ScriptRunner(dir, accepted.eventLoop(), SCRIPT);
        txn = transactionOn(accepted);
    }

    @AfterEach
    void close() throws Exception {
        if (lua != null) {
            lua.stop();
        }
        if (client != null) {
            client.close().sync();
        }
        if (listener != null) {
            listener.close().sync();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private LuaCall.Outcome call(String method, LuaValue... args) throws Exception {
        return lua.call("call", txn, prepend(method, args));
    }

    private static LuaValue[] prepend(String method, LuaValue[] args) {
        LuaValue[] all = new LuaValue[args.length + 1];
        all[0] = LuaValue.valueOf(method);
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    private void succeeds(String method, LuaValue... args) throws Exception {
        LuaCall.Outcome outcome = call(method, args);
        assertNull(outcome.error(), () -> method + " failed: " + outcome.error());
        assertEquals(0, outcome.values().narg(), method + " returns nothing");
    }

    private String fails(String method, LuaValue... args) throws Exception {
        LuaCall.Outcome outcome = call(method, args);
        assertTrue(outcome.failed(), () -> method + " should have failed");
        return outcome.error();
    }

    private int tos() throws Exception {
        return accepted.eventLoop().submit(() -> accepted.config().getOption(ChannelOption.IP_TOS)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void setTosSetsTheClientConnectionsTos() throws Exception {
        assertEquals(0, tos());
        succeeds("set_tos", LuaValue.valueOf(0x28));
        assertEquals(0x28, tos());
        succeeds("set_tos", LuaValue.valueOf(0xB8));
        assertEquals(0xB8, tos());
        succeeds("set_tos", LuaValue.valueOf(0x1A0));
        assertEquals(0xA0, tos(), "only the low 8 bits count");
        succeeds("set_tos", LuaValue.valueOf("40"));
        assertEquals(40, tos(), "a numeric string is an integer, as to luaL_checkinteger");
        succeeds("set_tos", LuaValue.valueOf(0));
        assertEquals(0, tos());
    }

    @Test
    void setTosOnAClosedConnectionIsIgnored() throws Exception {
        accepted.close().sync();
        succeeds("set_tos", LuaValue.valueOf(0x28));
    }

    @Test
    void setMarkAndPrioritiesAcceptIntegers() throws Exception {
        succeeds("set_mark", LuaValue.valueOf(7));
        succeeds("set_priority_class", LuaValue.valueOf(5000));
        succeeds("set_priority_class", LuaValue.valueOf(-3));
        succeeds("set_priority_offset", LuaValue.valueOf(-1_000_000));
        succeeds("set_priority_offset", LuaValue.valueOf((double) (1L << 40)));
        assertEquals(0, tos(), "none of them touches the TOS");
    }

    @Test
    void eachTakesExactlyOneInteger() throws Exception {
        for (String method : new String[] {"set_tos", "set_mark", "set_priority_class", "set_priority_offset"}) {
            String text = fails(method, LuaValue.valueOf("high"));
            assertTrue(text.contains("bad argument #1 to '" + method + "' (number expected, got string)"), text);
            String fraction = fails(method, LuaValue.valueOf(2.5));
            assertTrue(fraction.contains("bad argument #1 to '" + method + "' (number has no integer representation)"), fraction);
            String nil = fails(method, LuaValue.NIL);
            assertTrue(nil.contains("(number expected, got nil)"), nil);
            String none = fails(method);
            assertTrue(none.contains("'" + method + "' needs 2 arguments"), none);
            String two = fails(method, LuaValue.valueOf(1), LuaValue.valueOf(2));
            assertTrue(two.contains("'" + method + "' needs 2 arguments"), two);
        }
        assertEquals(0, tos());
    }

    /**
     * A transaction whose stream's session holds {@code connection}, as the codecs' transactions do;
     * the rest of the stream is not used by these methods.
     */
    private static Transaction transactionOn(Channel connection) {
        Session session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (p, m, a) -> switch (m.getName()) {
                    case "channel" -> connection;
                    case "toString" -> "session";
                    default -> throw new UnsupportedOperationException("Session." + m.getName());
                });
        Stream stream = (Stream) Proxy.newProxyInstance(Stream.class.getClassLoader(), new Class<?>[] {Stream.class},
                (p, m, a) -> switch (m.getName()) {
                    case "session" -> session;
                    case "toString" -> "stream";
                    default -> throw new UnsupportedOperationException("Stream." + m.getName());
                });
        return new Transaction() {
            @Override
            public Stream stream() {
                return stream;
            }

            @Override
            public void reply(HttpReply reply) {
                throw new UnsupportedOperationException("reply");
            }

            @Override
            public HttpHead request() {
                return null;
            }

            @Override
            public HttpHead response() {
                return null;
            }

            @Override
            public byte[] requestBody() {
                return null;
            }
        };
    }
}
