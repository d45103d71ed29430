package io.luagate.spi.proxy;

/**
 * A read-only snapshot of the counters of one frontend, backend or server, as luagate counts
 * them. A stream's bytes, status and errors are added when it ends; the session counts move when a
 * session starts and ends. Counters a kind of proxy does not have are 0 (a frontend has no connect
 * errors, a backend no request errors).
 *
 * @param currentSessions streams (backend, server) or client connections (frontend) open now
 * @param totalSessions   streams (backend, server) or client connections (frontend) since start
 * @param bytesIn         bytes received from clients
 * @param bytesOut        bytes sent to clients
 * @param requestErrors   requests refused as malformed (400, 414, 431) or that timed out while
 *                        being received (408)
 * @param connectErrors   failed connect attempts to servers (each retry counts)
 * @param responseErrors  exchanges the server broke or let time out after the connection was made
 * @param httpRequests    HTTP requests ended
 * @param http1xx         responses with a 1xx status, and likewise up to {@code http5xx}
 * @param http2xx         responses with a 2xx status
 * @param http3xx         responses with a 3xx status
 * @param http4xx         responses with a 4xx status
 * @param http5xx         responses with a 5xx status
 * @param httpOther       requests that ended with no status or another one
 */
public record TrafficStats(long currentSessions, long totalSessions, long bytesIn, long bytesOut,
                           long requestErrors, long connectErrors, long responseErrors, long httpRequests,
                           long http1xx, long http2xx, long http3xx, long http4xx, long http5xx, long httpOther) {
}
