package io.luagate.plugin.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.spi.proxy.StatsPageSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The options HAProxy reads after the stats URI, and the links the page builds from them. */
class PageRequestTest {

    private static StatsPageSettings at(String uri) {
        return new StatsPageSettings(uri, 5, List.of(), StatsPageSettings.DEFAULT_REALM, false);
    }

    @Test
    void optionsFollowThePrefixAnywhere() {
        assertEquals(new PageRequest("/stats", true, false, false, null), StatsPageService.request("/stats", at("/stats")));
        assertEquals(new PageRequest("/stats", false, true, true, null),
                StatsPageService.request("/stats;no-maint;up;norefresh", at("/stats")));
        assertEquals(new PageRequest("/stats", true, true, false, "DENY"),
                StatsPageService.request("/stats/x;st=DENY;up", at("/stats")));
        // An absolute URI: its path is what the prefix starts.
        assertEquals(new PageRequest("/stats", false, false, false, null),
                StatsPageService.request("http://lb.example/stats;norefresh", at("/stats")));
        // HAProxy's default URI carries a query.
        assertEquals(new PageRequest("/haproxy?stats", true, true, false, null),
                StatsPageService.request("/haproxy?stats;up", at("/haproxy?stats")));
    }

    @Test
    void withUseServiceTheOptionsStartAtTheFirstSemicolon() {
        assertEquals(new PageRequest("/admin/stats", true, true, false, null), StatsPageService.request("/admin/stats;up", null));
        assertEquals(new PageRequest("/admin/stats", true, false, false, null), StatsPageService.request("/admin/stats?x", null));
    }

    @Test
    void linksKeepTheOtherOptions() {
        PageRequest request = StatsPageService.request("/stats;up;norefresh", at("/stats"));
        assertEquals(";up;norefresh", request.options(""));
        assertEquals(";norefresh", request.options(";up"));
        assertEquals("/stats;up", request.link(request.options(";norefresh")));
    }
}
