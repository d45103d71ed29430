package io.luagate.kernel.stream;

import io.luagate.kernel.log.AccessLog;
import io.luagate.kernel.net.ConnectionLimiter;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The process-wide services a stream needs. One instance, shared by every loop: everything in it
 * is thread-safe.
 *
 * @param accessLog the asynchronous access log
 * @param limiter   the connection limit, also the source of the log's active-connection count
 * @param draining  whether the process is draining (SIGTERM)
 * @param procVars  variables of scope proc (a concurrent map: every loop reads and writes them)
 */
public record Kernel(AccessLog accessLog, ConnectionLimiter limiter, BooleanSupplier draining,
                    Map<String, Object> procVars) {
}
