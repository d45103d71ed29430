package io.luagate.kernel.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The registry is made at the first scrape: what was counted and registered before shows as if registered at once. */
class MetricsRegistryLaterTest {

    @Test
    void countsMadeBeforeTheFirstScrapeShowInIt() {
        Metrics metrics = new Metrics();
        ConnectionCount accepted = metrics.frontendConnections("fe");
        TrafficCounters fe = metrics.frontend("fe");
        AtomicLong open = new AtomicLong(3);
        metrics.process(open::get, () -> 7);
        accepted.increment();
        accepted.increment();
        fe.sessionStarted();
        fe.http(200);
        // A reload asks again for the frontend's count: the same one, counting on.
        metrics.frontendConnections("fe").increment();

        String scrape = metrics.scrape();
        assertTrue(scrape.contains("# HELP haproxy_frontend_connections_total Client connections accepted\n"), scrape);
        assertTrue(scrape.contains("# TYPE haproxy_frontend_connections_total counter\n"), scrape);
        assertTrue(scrape.contains("haproxy_frontend_connections_total{proxy=\"fe\"} 3.0\n"), scrape);
        assertTrue(scrape.contains("haproxy_frontend_http_requests_total{proxy=\"fe\"} 1.0\n"), scrape);
        assertTrue(scrape.contains("haproxy_frontend_current_sessions{proxy=\"fe\"} 1.0\n"), scrape);
        assertTrue(scrape.contains("haproxy_process_current_connections 3.0\n"), scrape);
        assertTrue(scrape.contains("luagate_access_log_dropped_total 7.0\n"), scrape);

        // After the first scrape, registrations go to the registry at once, and counting goes on.
        open.set(5);
        metrics.backend("be").http(404);
        accepted.increment();
        String next = metrics.scrape();
        assertTrue(next.contains("haproxy_process_current_connections 5.0\n"), next);
        assertTrue(next.contains("haproxy_backend_http_responses_total{code=\"4xx\",proxy=\"be\"} 1.0\n"), next);
        assertTrue(next.contains("haproxy_frontend_connections_total{proxy=\"fe\"} 4.0\n"), next);
    }

    @Test
    void aServerRemovedBeforeTheFirstScrapeIsNotInIt() {
        Metrics metrics = new Metrics();
        metrics.server("be", "gone").http(200);
        metrics.server("be", "kept").http(200);
        metrics.removeServer("be", "gone");

        String scrape = metrics.scrape();
        assertFalse(scrape.contains("server=\"gone\""), scrape);
        assertTrue(scrape.contains("haproxy_server_http_requests_total{proxy=\"be\",server=\"kept\"} 1.0\n"), scrape);

        // A server added again under the name starts at 0, with its meters registered once.
        metrics.server("be", "gone");
        String next = metrics.scrape();
        assertTrue(next.contains("haproxy_server_http_requests_total{proxy=\"be\",server=\"gone\"} 0.0\n"), next);
    }
}
