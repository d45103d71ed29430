package io.luagate.kernel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.spi.proxy.TrafficStats;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TrafficCountersTest {

    /** What one ended HTTP stream adds, the way the kernel counts it. */
    private static void oneStream(TrafficCounters fe, TrafficCounters be, TrafficCounters srv, int status) {
        fe.sessionStarted();
        be.sessionStarted();
        srv.sessionStarted();
        fe.http(status);
        be.http(status);
        srv.http(status);
        fe.bytes(100, 250);
        be.bytes(100, 250);
        srv.bytes(100, 250);
        srv.sessionEnded();
        be.sessionEnded();
    }

    @Test
    void countsFromEventLoopsAndOtherThreadsAddUpInTheSnapshotAndTheScrape() throws Exception {
        Metrics metrics = new Metrics();
        TrafficCounters fe = metrics.frontend("fe");
        TrafficCounters be = metrics.backend("be");
        TrafficCounters srv = metrics.server("be", "s1");
        EventLoopGroup loops = new DefaultEventLoopGroup(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int status = i % 4 == 0 ? 503 : 200;
                done.add(loops.next().submit(() -> oneStream(fe, be, srv, status)));
            }
            Thread other = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    oneStream(fe, be, srv, i % 2 == 0 ? 404 : -1);
                }
                fe.requestFailed();
                srv.connectFailed();
                be.responseFailed();
            });
            other.start();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
            other.join();
            // A session ended on another thread than the one it started on still leaves the sum right.
            loops.next().submit(fe::sessionEnded).get(10, TimeUnit.SECONDS);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        assertEquals(new TrafficStats(1499, 1500, 150_000, 375_000, 1, 0, 0, 1500, 0, 750, 0, 250, 250, 250),
                fe.snapshot());
        assertEquals(new TrafficStats(0, 1500, 150_000, 375_000, 0, 0, 1, 1500, 0, 750, 0, 250, 250, 250),
                be.snapshot());
        assertEquals(new TrafficStats(0, 1500, 150_000, 375_000, 0, 1, 0, 1500, 0, 750, 0, 250, 250, 250),
                srv.snapshot());
        String scrape = metrics.scrape();
        for (String line : List.of(
                "# HELP haproxy_frontend_http_requests_total HTTP requests",
                "# TYPE haproxy_frontend_http_requests_total counter",
                "haproxy_frontend_http_requests_total{proxy=\"fe\"} 1500.0",
                "# HELP haproxy_frontend_http_responses_total HTTP responses by status class",
                "haproxy_frontend_http_responses_total{code=\"2xx\",proxy=\"fe\"} 750.0",
                "haproxy_frontend_http_responses_total{code=\"1xx\",proxy=\"fe\"} 0.0",
                "haproxy_frontend_http_responses_total{code=\"other\",proxy=\"fe\"} 250.0",
                "# HELP haproxy_frontend_bytes_out_bytes_total Bytes sent to clients",
                "# TYPE haproxy_frontend_bytes_out_bytes_total counter",
                "haproxy_frontend_bytes_out_bytes_total{proxy=\"fe\"} 375000.0",
                "haproxy_frontend_bytes_in_bytes_total{proxy=\"fe\"} 150000.0",
                "# HELP haproxy_frontend_current_sessions Client connections open now",
                "# TYPE haproxy_frontend_current_sessions gauge",
                "haproxy_frontend_current_sessions{proxy=\"fe\"} 1499.0",
                "# HELP haproxy_frontend_sessions_total Client connections",
                "haproxy_frontend_sessions_total{proxy=\"fe\"} 1500.0",
                "haproxy_frontend_request_errors_total{proxy=\"fe\"} 1.0",
                "haproxy_backend_current_sessions{proxy=\"be\"} 0.0",
                "# HELP haproxy_backend_sessions_total Streams",
                "haproxy_backend_response_errors_total{proxy=\"be\"} 1.0",
                "haproxy_backend_connection_errors_total{proxy=\"be\"} 0.0",
                "haproxy_server_connection_errors_total{proxy=\"be\",server=\"s1\"} 1.0",
                "haproxy_server_http_responses_total{code=\"5xx\",proxy=\"be\",server=\"s1\"} 250.0")) {
            assertEquals(true, scrape.lines().anyMatch(line::equals), () -> line + " not in\n" + scrape);
        }
    }
}
