package io.luagate.plugin.lua.api;

/** What the {@code filter} global changes on a filter instance of a stream. */
public interface FilterHandle extends RequestBound {

    /** {@code filter.register_data_filter} / {@code unregister_data_filter}: see (or stop seeing) a direction's body. */
    void dataFilter(boolean response, boolean on);

    /** {@code filter.wake_time(ms)}: when a step that returned {@code filter.WAIT} runs again. */
    void wakeTime(long millis);
}
