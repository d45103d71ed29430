package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestUpstream;
import io.luagate.e2e.support.WebDriver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The stats page of the distribution as a person sees it in a browser: headless Chromium (Debian's
 * chromium and chromium-driver) loads it, and the test reads rendered text and computed colors,
 * watches the page refresh itself, and keeps a screenshot in target/. Without Chromium the test is
 * skipped, unless LUAGATE_REQUIRE_BROWSER=1 (CI) makes that a failure.
 */
class StatsPageBrowserIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aPersonSeesStatesCountersAndColorsAndThePageRefreshesItself() throws Exception {
        if (!WebDriver.installed()) {
            String missing = "headless Chromium is not installed (" + WebDriver.CHROMIUM + " and " + WebDriver.CHROMEDRIVER
                    + ", Debian's packages chromium and chromium-driver)";
            if ("1".equals(System.getenv("LUAGATE_REQUIRE_BROWSER"))) {
                throw new AssertionError(missing + ", and LUAGATE_REQUIRE_BROWSER=1 asks for it");
            }
            Assumptions.abort(missing + ": the stats page browser test is skipped");
        }
        Path dist = InProcessProxy.distribution();
        int port = DistributionProcess.freePort();
        int dead = DistributionProcess.freePort();
        Path script = Files.createTempFile("force-down", ".lua");
        // The server "down" is forced down as soon as luagate runs (Lua's Server:check_force_down()).
        Files.writeString(script, """
                core.register_task(function()
                  core.backends["app"].servers["down"]:check_force_down()
                end)
                """);
        try (TestUpstream up = TestUpstream.named("up")) {
            Path config = InProcessProxy.writeConfig("""
                    log.target = none
                    lua.load = [ "%s" ]
                    stats-page.description = "edge <one>"
                    frontends.web {
                      bind = ["127.0.0.1:%d"], default-backend = app
                      stats-uri = "/stats", stats-refresh = 2s
                    }
                    backends.app {
                      servers { up = "%s", down = "127.0.0.1:%d", spare = { address = "127.0.0.1:%d", backup = true },
                                off = { address = "127.0.0.1:%d", disabled = true } }
                    }
                    """.formatted(script, port, up.address(), dead, dead, dead));
            try (DistributionProcess luagate = DistributionProcess.start(dist, Map.of(), "run", "-c", config.toString())) {
                luagate.awaitListening(port, Duration.ofSeconds(60));
                awaitDown(port, luagate);
                for (int i = 0; i < 3; i++) {
                    assertEquals(200, get(port, "/app/" + i).statusCode());
                }
                try (WebDriver browser = WebDriver.start()) {
                    browser.navigate("http://127.0.0.1:" + port + "/stats");
                    seeWhatAPersonSees(browser);
                    Path shot = Path.of("target", "stats-page.png");
                    Files.write(shot, browser.screenshot());
                    assertTrue(Files.size(shot) > 10_000, "a real screenshot");
                    seeThePageRefreshItself(browser, port);
                }
            }
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static void seeWhatAPersonSees(WebDriver browser) throws Exception {
        assertEquals("web", browser.text(browser.find("a.px#frontend-web")));
        assertEquals("app", browser.text(browser.find("a.px#backend-app")));
        assertEquals("edge <one>", browser.text(browser.find("p.desc")));
        assertEquals("OPEN", cell(browser, "web", "status"));
        // HAProxy's Status cell: the time in this state, then the state ("no check": running, not checked).
        assertTrue(cell(browser, "app/up", "status").matches("\\d+s no check"), cell(browser, "app/up", "status"));
        assertTrue(cell(browser, "app/down", "status").matches("\\d+s DOWN"), cell(browser, "app/down", "status"));
        assertTrue(cell(browser, "app/off", "status").matches("\\d+s MAINT"), cell(browser, "app/off", "status"));
        assertTrue(cell(browser, "app/spare", "status").matches("\\d+s no check"), cell(browser, "app/spare", "status"));
        assertEquals("1", cell(browser, "app/down", "chkdown"));
        assertEquals("3", cell(browser, "app/up", "stot"));
        assertEquals("0", cell(browser, "app/down", "stot"));
        assertEquals("3", cell(browser, "app", "stot"));
        assertEquals("Y", cell(browser, "app/spare", "bck"));
        // The backend counts what can take traffic: one active server, one backup.
        assertEquals("1", cell(browser, "app", "act"));
        assertEquals("1", cell(browser, "app", "bck"));
        // HAProxy's colors: a DOWN server's row is red, a running unchecked one gray, maintenance brown.
        String upColor = browser.css(browser.find("tr[data-row='app/up']"), "background-color");
        String downColor = browser.css(browser.find("tr[data-row='app/down']"), "background-color");
        assertEquals("rgba(224, 224, 224, 1)", upColor);
        assertEquals("rgba(255, 144, 144, 1)", downColor);
        assertNotEquals(upColor, downColor);
        assertEquals("rgba(224, 224, 224, 1)", browser.css(browser.find("tr[data-row='app/spare']"), "background-color"));
        assertEquals("rgba(192, 120, 32, 1)", browser.css(browser.find("tr[data-row='app/off']"), "background-color"));
        assertTrue(browser.text(browser.find("#process")).matches("(?s).*uptime = \\d+d \\d+h\\d\\dm\\d\\ds.*"),
                browser.text(browser.find("#process")));
    }

    /** Traffic while the page is open: after stats-refresh the page shows it without anyone reloading it. */
    private static void seeThePageRefreshItself(WebDriver browser, int port) throws Exception {
        browser.script("window.loadedByTheTest = true;");
        for (int i = 0; i < 2; i++) {
            assertEquals(200, get(port, "/more/" + i).statusCode());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String total = "3";
        boolean reloaded = false;
        while (System.nanoTime() < deadline && !(reloaded && total.equals("5"))) {
            Thread.sleep(250);
            @SuppressWarnings("unchecked")
            List<Object> seen = (List<Object>) browser.script("return [window.loadedByTheTest === undefined, "
                    + "document.querySelector(\"tr[data-row='app/up'] td[data-col='stot']\").innerText];");
            reloaded = Boolean.TRUE.equals(seen.get(0));
            total = String.valueOf(seen.get(1));
        }
        assertTrue(reloaded, "the page did not reload itself within 15 s (stats-refresh = 2s)");
        assertEquals("5", total, "the server's total sessions after the refresh");
    }

    private static String cell(WebDriver browser, String row, String column) throws Exception {
        return browser.text(browser.find("tr[data-row='" + row + "'] td[data-col='" + column + "']"));
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits for the Lua task to have forced "down" down: before it, round-robin would send a request there. */
    private static void awaitDown(int port, DistributionProcess luagate) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String page = get(port, "/stats").body();
            if (page.contains("<tr class=\"active_down\" data-row=\"app/down\">")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server 'down' was not forced down:\n" + luagate.output());
    }
}
