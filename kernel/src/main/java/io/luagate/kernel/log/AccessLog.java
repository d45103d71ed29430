package io.luagate.kernel.log;

/** Takes finished streams for the access log. {@link #write} never blocks. */
public interface AccessLog extends AutoCloseable {

    /** Queues one finished stream's line; drops it (and counts the drop) when the queue is full. */
    void write(LogRecord record);

    /** Lines dropped so far because the writer could not keep up. */
    long dropped();

    /** Writes what is queued, then stops the writer. */
    @Override
    void close();
}
