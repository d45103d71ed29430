package io.luagate.plugin.balancer.roundrobin;

import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.balancer.BalancerFactory;
import io.luagate.spi.proxy.Server;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.pf4j.Extension;

/**
 * Serves {@code balance = roundrobin}. The kernel asks for one balancer per event loop; each new
 * one starts a step further in the rotation, so the loops do not all send their first request to
 * the first server.
 */
@Extension
public final class RoundRobinBalancerFactory implements BalancerFactory {

    private final AtomicInteger created = new AtomicInteger();

    @Override
    public String algorithm() {
        return "roundrobin";
    }

    @Override
    public Balancer create(List<? extends Server> servers) {
        return new SmoothWeightedRoundRobin(servers, created.getAndIncrement());
    }
}
