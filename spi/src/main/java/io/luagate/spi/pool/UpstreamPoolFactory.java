package io.luagate.spi.pool;

import io.netty.channel.EventLoop;
import org.pf4j.ExtensionPoint;

/** Makes upstream pools. The kernel calls {@link #create} once per backend and event loop. */
public interface UpstreamPoolFactory extends ExtensionPoint {

    /** A pool used only on {@code loop}. */
    UpstreamPool create(EventLoop loop, PoolSettings settings);
}
