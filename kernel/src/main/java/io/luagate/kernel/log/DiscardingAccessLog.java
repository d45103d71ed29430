package io.luagate.kernel.log;

/** {@code log.target = none}. */
public final class DiscardingAccessLog implements AccessLog {

    @Override
    public void write(LogRecord record) {
    }

    @Override
    public long dropped() {
        return 0;
    }

    @Override
    public void close() {
    }
}
