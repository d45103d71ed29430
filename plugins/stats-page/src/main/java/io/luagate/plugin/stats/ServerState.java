package io.luagate.plugin.stats;

import io.luagate.spi.health.ServerCheckState;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;

/**
 * How the page shows a server's state: HAProxy's status text ({@link Server#status()}) and the
 * row class that colors it, chosen as HAProxy's stats page does ({@code active_up},
 * {@code active_going_down}, {@code backup_down}, {@code active_no_check}, {@code maintain}...).
 *
 * @param status  the Status cell
 * @param row     the CSS class of the row
 * @param stopped whether the server is stopped ({@code ;up} hides it)
 * @param maint   whether it is in maintenance ({@code ;no-maint} hides it)
 * @param usable  whether a balancer may pick it now (the backend's Act/Bck counts)
 */
record ServerState(String status, String row, boolean stopped, boolean maint, boolean usable) {

    static ServerState of(Server server) {
        String status = server.status();
        String side = server.isBackup() ? "backup_" : "active_";
        if (server.admin() == ServerAdmin.MAINT) {
            return new ServerState(status, "maintain", true, true, false);
        }
        ServerCheckState check = server.checkState();
        ServerHealth health = server.health();
        if (health == ServerHealth.DOWN) {
            String row = check.checked() && check.health() > 0 ? "going_up" : "down";
            return new ServerState(status, side + row, true, false, false);
        }
        if (server.isDraining()) {
            return new ServerState(status, side + "draining", false, false, false);
        }
        if (health == ServerHealth.NOLB) {
            return new ServerState(status, side + "nolb", false, false, false);
        }
        String row = !check.checked() ? "no_check" : check.full() ? "up" : "going_down";
        return new ServerState(status, side + row, false, false, server.isUp());
    }
}
