package io.luagate.spi.extension;

import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;

/** What an {@link Extension} receives when luagate starts. */
public interface ExtensionRuntime {

    /** The event loops, in order: loop {@code i} is thread number {@code i + 1}. */
    List<EventLoop> eventLoops();

    /** The frontends by name, in configuration order. */
    Map<String, Frontend> frontends();

    /** The backends by name, in configuration order. */
    Map<String, Backend> backends();
}
