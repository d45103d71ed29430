package io.luagate.plugin.runtimeapi;

import io.luagate.spi.health.CheckResult;
import io.luagate.spi.health.CheckStatus;
import io.luagate.spi.health.ServerCheckState;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;

/**
 * A server's states in HAProxy's words and numbers ({@code include/haproxy/check-t.h},
 * {@code server-t.h}), for {@code show stat} and {@code show servers state}.
 */
final class ServerStates {

    private ServerStates() {
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
        return server.admin() != ServerAdmin.MAINT && server.health() != ServerHealth.DOWN;
    }

    /** HAProxy's {@code enum healthcheck_status} number of a check status. */
    static int statusNumber(CheckStatus status) {
        return switch (status) {
            case UNK -> 0;
            case INI -> 1;
            case HANA -> 4;
            case SOCKERR -> 5;
            case L4OK -> 6;
            case L4TOUT -> 7;
            case L4CON -> 8;
            case L6OK -> 9;
            case L6TOUT -> 10;
            case L6RSP -> 11;
            case L7TOUT -> 12;
            case L7RSP -> 13;
            case L7OK -> 15;
            case L7OKC -> 16;
            case L7STS -> 17;
        };
    }

    /** HAProxy's {@code enum chk_result}: 0 unknown, 2 failed, 3 passed, 4 conditionally passed. */
    static int resultNumber(CheckResult result) {
        if (result.status() == CheckStatus.L7OKC) {
            return 4;
        }
        return switch (result.status().result()) {
            case UNKNOWN -> 0;
            case FAILED -> 2;
            case PASSED -> 3;
        };
    }

    /**
     * HAProxy's {@code check.health}: the checks' counter; without checks, {@code rise} while
     * running and 0 when stopped, as HAProxy keeps it.
     */
    static int health(Server server) {
        ServerCheckState state = server.checkState();
        if (state.checked()) {
            return state.health();
        }
        return operational(server) == 0 ? 0 : state.rise();
    }

    /** HAProxy's {@code check.state} bits: 0x02 configured, 0x04 enabled, 0x08 paused by maintenance. */
    static int checkStateBits(Server server) {
        int bits = server.checkState().checked() ? 0x02 | 0x04 : 0;
        return server.admin() == ServerAdmin.MAINT ? bits | 0x08 : bits;
    }

    /** Seconds since the last change of state (the start when none), as HAProxy's {@code lastchg}. */
    static long secondsSinceChange(Server server, long startMillis) {
        long since = server.lastChangeMillis() > 0 ? server.lastChangeMillis() : startMillis;
        return Math.max(0, (System.currentTimeMillis() - since) / 1000);
    }
}
