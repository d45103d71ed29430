package ${package};

import io.luagate.spi.balancer.Balancer;
import io.luagate.spi.balancer.BalancerFactory;
import io.luagate.spi.proxy.Server;
import java.util.List;
import org.pf4j.Extension;

/**
 * Serves {@code balance = ${algorithm}}. {@code @Extension} is what makes luagate find it: PF4J's
 * annotation processor (set up by luagate-plugin-parent) lists it in META-INF/extensions.idx.
 */
@Extension
public final class FirstUsableBalancerFactory implements BalancerFactory {

    @Override
    public String algorithm() {
        return "${algorithm}";
    }

    /** Called once per backend and event loop: the balancer is used by that loop only. */
    @Override
    public Balancer create(List<? extends Server> servers) {
        return new FirstUsableBalancer(servers);
    }
}
