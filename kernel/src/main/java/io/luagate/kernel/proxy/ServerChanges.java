package io.luagate.kernel.proxy;

import io.luagate.spi.balancer.Balancer;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a running backend needs to add and remove servers (HAProxy's {@code add server} and
 * {@code del server}), made by the {@link ProxyBuilder} that built it, so that a server added later
 * is read, checked and counted exactly as a configured one.
 *
 * @param maker    makes a server from its name and keys; throws {@link IllegalArgumentException}
 *                 naming every key that is wrong
 * @param balancer makes one event loop's balancer over a list of servers
 * @param loops    the event loops in order: balancer {@code i} belongs to loop {@code i}
 * @param retired  forgets what was kept for a removed server (its metrics)
 */
record ServerChanges(BiFunction<String, Map<String, ?>, DefaultServer> maker,
                     Function<List<DefaultServer>, Balancer> balancer, List<EventLoop> loops,
                     Consumer<DefaultServer> retired) {
}
