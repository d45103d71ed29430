package io.luagate.plugin.health;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The socket channel class a loop registers: luagate's loops run epoll where Netty can load it, NIO otherwise. */
final class Channels {

    private Channels() {
    }

    static Class<? extends Channel> socketChannel(EventLoop loop) {
        boolean epoll = Epoll.isAvailable() && loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class);
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
