package io.luagate.plugin.pool;

import io.luagate.spi.pool.PoolSettings;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.pool.UpstreamPoolFactory;
import io.netty.channel.EventLoop;
import org.pf4j.Extension;

/** Provides the kernel's upstream pools. */
@Extension
public final class KeyedIdlePoolFactory implements UpstreamPoolFactory {

    @Override
    public UpstreamPool create(EventLoop loop, PoolSettings settings) {
        return new KeyedIdlePool(loop, settings);
    }
}
