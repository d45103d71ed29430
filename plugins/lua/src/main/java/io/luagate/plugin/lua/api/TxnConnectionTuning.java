package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.lib.LuaArgs;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The TXN methods that tune how HAProxy handles the stream's packets and queueing:
 * {@code set_tos}, {@code set_mark}, {@code set_priority_class}, {@code set_priority_offset}. Each
 * takes exactly one integer, as in HAProxy.
 *
 * <ul>
 *   <li>{@code set_tos(n)} sets the IP TOS (IPv6 traffic class) of the client connection's
 *       socket, as HAProxy's {@code conn_set_tos} does; the kernel keeps the low 8 bits (and, for
 *       TCP over IPv4, clears the two ECN bits). A failure to set it is ignored, as HAProxy
 *       ignores {@code setsockopt}'s.</li>
 *   <li>{@code set_mark(n)} is accepted and has no effect: a netfilter mark ({@code SO_MARK})
 *       needs {@code CAP_NET_ADMIN} and a raw option of Netty's native epoll transport, which this
 *       plugin does not depend on.</li>
 *   <li>{@code set_priority_class(n)} and {@code set_priority_offset(n)} are accepted and have no
 *       effect: they order HAProxy's server queue, and luagate does not queue streams for
 *       servers.</li>
 * </ul>
 */
final class TxnConnectionTuning {

    private TxnConnectionTuning() {
    }

    static void install(LuaClass txnClass) {
        txnClass.<TxnContext>method("set_tos", (c, a) -> {
            int tos = (int) integerArgument(a, "set_tos") & 0xFF;
            setTos(c.txn().stream().session().channel(), tos);
            return LuaValue.NONE;
        });
        txnClass.<TxnContext>method("set_mark", (c, a) -> {
            integerArgument(a, "set_mark");
            return LuaValue.NONE;
        });
        txnClass.<TxnContext>method("set_priority_class", (c, a) -> {
            integerArgument(a, "set_priority_class");
            return LuaValue.NONE;
        });
        txnClass.<TxnContext>method("set_priority_offset", (c, a) -> {
            integerArgument(a, "set_priority_offset");
            return LuaValue.NONE;
        });
    }

    /** The one integer after {@code self}; HAProxy counts {@code self} in its "needs 2 arguments". */
    private static long integerArgument(Varargs a, String method) {
        if (a.narg() != 1) {
            throw new LuaError("'" + method + "' needs 2 arguments");
        }
        return LuaArgs.checkInteger(a, 1, method);
    }

    private static void setTos(Channel client, int tos) {
        if (client == null || !client.isOpen()) {
            return;
        }
        try {
            // On a transport without the option (not a socket) setOption returns false: nothing to do.
            client.config().setOption(ChannelOption.IP_TOS, tos);
        } catch (ChannelException | IllegalArgumentException e) {
            // As HAProxy: the result of setsockopt is not looked at.
        }
    }
}
