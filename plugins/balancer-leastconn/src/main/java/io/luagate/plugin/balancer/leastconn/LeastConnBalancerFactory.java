package io.luagate.plugin.balancer.leastconn;

import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.balancer.BalancerContext;
import io.luagate.spi.balancer.BalancerFactory;
import org.pf4j.Extension;

/** Serves {@code balance = leastconn}; it takes no argument. */
@Extension
public final class LeastConnBalancerFactory implements BalancerFactory {

    @Override
    public String algorithm() {
        return "leastconn";
    }

    @Override
    public Balancer create(BalancerContext context) {
        return new LeastConnections(context.servers());
    }
}
