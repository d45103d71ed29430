package io.luagate.spi.balancer;

import io.luagate.spi.proxy.Server;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Makes balancers for one algorithm. The kernel calls {@link #create} once per backend and event
 * loop, so a balancer is confined to one thread and needs no lock.
 */
public interface BalancerFactory extends ExtensionPoint {

    /** The {@code balance} value this factory serves, for example {@code "roundrobin"}. */
    String algorithm();

    /** A new balancer over {@code servers}, used by one event loop only. */
    Balancer create(List<? extends Server> servers);
}
