package io.luagate.plugin.balancer.random;

import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.balancer.BalancerContext;
import io.luagate.spi.balancer.BalancerFactory;
import java.util.List;
import org.pf4j.Extension;

/**
 * Serves {@code balance = random} and {@code "random(N)"}: N draws (HAProxy's default 2), each
 * loop with its own random generator.
 */
@Extension
public final class RandomBalancerFactory implements BalancerFactory {

    /** HAProxy's default number of draws. */
    static final int DEFAULT_DRAWS = 2;
    /** A bound HAProxy does not have: every draw costs a walk over the servers. */
    static final int MAX_DRAWS = 1000;

    @Override
    public String algorithm() {
        return "random";
    }

    @Override
    public void check(BalancerContext context) {
        draws(context);
    }

    @Override
    public Balancer create(BalancerContext context) {
        return new PowerOfChoices(context.servers(), draws(context), new java.util.SplittableRandom());
    }

    /** The number of draws written, checked as HAProxy does (at least 1); problems go to the context. */
    static int draws(BalancerContext context) {
        List<String> arguments = context.arguments();
        if (arguments.isEmpty()) {
            return DEFAULT_DRAWS;
        }
        if (arguments.size() > 1) {
            context.problem("random takes one argument, the number of draws: \"random(2)\"");
            return DEFAULT_DRAWS;
        }
        int draws;
        try {
            draws = Integer.parseInt(arguments.get(0));
        } catch (NumberFormatException e) {
            context.problem("random: the number of draws must be an integer, not '" + arguments.get(0) + "'");
            return DEFAULT_DRAWS;
        }
        if (draws < 1 || draws > MAX_DRAWS) {
            context.problem("random: the number of draws must be at least 1 (and at most " + MAX_DRAWS + "), not " + draws);
            return DEFAULT_DRAWS;
        }
        return draws;
    }
}
