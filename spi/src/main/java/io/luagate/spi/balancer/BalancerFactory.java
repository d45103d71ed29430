package io.luagate.spi.balancer;

import io.luagate.spi.proxy.Server;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Makes balancers for one algorithm, named by the first word of a backend's {@code balance}
 * value ({@code roundrobin}, {@code random(2)}, {@code hash req.hdr(x-user)}).
 *
 * <p>The kernel calls {@link #check} once per backend at load (also under {@code luagate check}),
 * then, when nothing was wrong, {@link #create(BalancerContext)} once per backend and event loop,
 * so a balancer is confined to one thread and needs no lock. A factory implements either
 * {@link #create(BalancerContext)} (to read arguments and options) or, for an algorithm that takes
 * none, {@link #create(List)}.
 */
public interface BalancerFactory extends ExtensionPoint {

    /** The main {@code balance} name this factory serves, for example {@code "roundrobin"}. */
    String algorithm();

    /**
     * Further {@code balance} names this factory serves besides {@link #algorithm()}, for example
     * {@code source} and {@code uri} for a hashing plugin that serves {@code hash}. Empty by default.
     */
    default List<String> otherAlgorithms() {
        return List.of();
    }

    /**
     * Reads and checks one backend's balancing: the arguments of its {@code balance} value, the
     * options it uses, the keys of its own it reads from {@link BalancerContext#options()}, the key
     * expression it asks for. Problems are recorded through the context (with file, line and key);
     * nothing is thrown. The default accepts the bare algorithm name only.
     */
    default void check(BalancerContext context) {
        if (!context.arguments().isEmpty()) {
            context.problem("'" + context.algorithm() + "' takes no argument");
        }
    }

    /**
     * A new balancer for one backend on one event loop, after {@link #check} found nothing wrong.
     * The default hands the servers to {@link #create(List)}.
     */
    default Balancer create(BalancerContext context) {
        return create(context.servers());
    }

    /**
     * A new balancer over {@code servers}, used by one event loop only, for an algorithm that reads
     * no arguments. Factories that implement {@link #create(BalancerContext)} need not implement it.
     *
     * @throws UnsupportedOperationException when the factory implements neither
     */
    default Balancer create(List<? extends Server> servers) {
        throw new UnsupportedOperationException(getClass().getName() + " implements neither create method");
    }
}
