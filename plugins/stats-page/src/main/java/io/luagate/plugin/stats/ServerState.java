package io.luagate.plugin.stats;

import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;

/**
 * How the page shows a server's state: HAProxy's status text and the row class that colors it
 * (HAProxy's {@code active_up}, {@code backup_down}, {@code maintain}...).
 *
 * @param status  the Status cell
 * @param row     the CSS class of the row
 * @param stopped whether the server counts as down ({@code ;up} hides it)
 * @param maint   whether it is in maintenance ({@code ;no-maint} hides it)
 * @param usable  whether a balancer may pick it now (the backend's Act/Bck counts)
 */
record ServerState(String status, String row, boolean stopped, boolean maint, boolean usable) {

    static ServerState of(Server server) {
        String side = server.isBackup() ? "backup_" : "active_";
        if (server.admin() == ServerAdmin.MAINT) {
            return new ServerState("MAINT", "maintain", true, true, false);
        }
        if (server.health() == ServerHealth.DOWN) {
            return new ServerState("DOWN", side + "down", true, false, false);
        }
        if (server.isDraining()) {
            return new ServerState("DRAIN", side + "draining", false, false, false);
        }
        if (server.health() == ServerHealth.NOLB) {
            return new ServerState("NOLB", side + "nolb", false, false, false);
        }
        return new ServerState("UP", side + "up", false, false, server.isUp());
    }
}
