package io.luagate.plugin.balancer.roundrobin;

import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.balancer.BalancerContext;
import io.luagate.spi.balancer.BalancerFactory;
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

    /** Takes no argument: the SPI's default {@code check} says so for {@code "roundrobin(2)"}. */
    @Override
    public Balancer create(BalancerContext context) {
        return new SmoothWeightedRoundRobin(context.servers(), created.getAndIncrement());
    }
}
