package io.luagate.plugin.runtimeapi;

import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;

/** A server's states in HAProxy's words and numbers, for {@code show stat} and {@code show servers state}. */
final class ServerStates {

    private ServerStates() {
    }

    /** The {@code status} column: MAINT, DRAIN, NOLB, DOWN, or "no check" for a running unchecked server. */
    static String status(Server server) {
        if (server.admin() == ServerAdmin.MAINT) {
            return "MAINT";
        }
        if (server.admin() == ServerAdmin.DRAIN) {
            return "DRAIN";
        }
        return switch (server.health()) {
            case UP -> "no check";
            case NOLB -> "NOLB";
            case DOWN -> "DOWN";
        };
    }

    /** HAProxy's {@code srv_op_state}: 0 stopped, 2 running, 3 stopping (NOLB). */
    static int operational(Server server) {
        if (server.admin() == ServerAdmin.MAINT) {
            return 0;
        }
        return switch (server.health()) {
            case UP -> 2;
            case NOLB -> 3;
            case DOWN -> 0;
        };
    }

    /** HAProxy's {@code srv_admin_state} bits: 0x01 forced maintenance, 0x08 forced drain. */
    static int administrative(Server server) {
        return switch (server.admin()) {
            case READY -> 0;
            case MAINT -> 0x01;
            case DRAIN -> 0x08;
        };
    }

    /** Whether the server counts as up for its backend's figures (act, bck, weight). */
    static boolean usable(Server server) {
        return server.admin() != ServerAdmin.MAINT && server.health() == ServerHealth.UP;
    }
}
