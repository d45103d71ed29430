package io.luagate.plugin.lua.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * The channel classes a loop can register: a channel must match its loop's transport (luagate's
 * loops use epoll where Netty can load it, NIO otherwise), and a Lua connection is always made on
 * the loop of the call that opens it.
 */
final class Transports {

    private Transports() {
    }

    private static boolean epoll(EventLoop loop) {
        return Epoll.isAvailable() && loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class);
    }

    /** The channel class for {@code destination} on {@code loop}. */
    static Class<? extends Channel> channelClass(EventLoop loop, Destination destination) {
        if (epoll(loop)) {
            return destination.unix() ? EpollDomainSocketChannel.class : EpollSocketChannel.class;
        }
        return destination.unix() ? NioDomainSocketChannel.class : NioSocketChannel.class;
    }

    /** The address object that channel class connects to. */
    static SocketAddress address(EventLoop loop, Destination destination) {
        if (!destination.unix()) {
            return destination.inet();
        }
        return epoll(loop) ? new DomainSocketAddress(destination.unixPath())
                : UnixDomainSocketAddress.of(destination.unixPath());
    }
}
