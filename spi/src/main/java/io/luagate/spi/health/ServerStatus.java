package io.luagate.spi.health;

import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;

/**
 * A server's status as HAProxy's stats show it ({@code show stat}'s {@code status}, Lua's
 * {@code get_stats().status}, the stats page): {@code UP}, {@code DOWN}, {@code UP 1/3} (going
 * down: one failed check of three), {@code DOWN 1/2} (going up), {@code NOLB}, {@code DRAIN},
 * {@code MAINT}, {@code no check}. Computed as HAProxy's {@code stats_fill_sv_computestate}.
 */
public final class ServerStatus {

    private ServerStatus() {
    }

    public static String of(ServerAdmin admin, ServerHealth health, ServerCheckState check) {
        if (admin == ServerAdmin.MAINT) {
            return "MAINT";
        }
        boolean checked = check.checked();
        int counter = check.health();
        return switch (health) {
            case UP -> {
                boolean goingDown = checked && counter < check.rise() + check.fall() - 1;
                if (admin == ServerAdmin.DRAIN) {
                    yield goingDown ? "DRAIN " + going(check) : "DRAIN";
                }
                yield goingDown ? "UP " + going(check) : checked ? "UP" : "no check";
            }
            case NOLB -> !checked || check.full() ? "NOLB" : "NOLB " + going(check);
            case DOWN -> !checked || counter == 0 ? "DOWN" : "DOWN " + counter + "/" + check.rise();
        };
    }

    /** HAProxy's "x/fall" of a running server: the checks left before it goes down are fall - x. */
    private static String going(ServerCheckState check) {
        return (check.health() - check.rise() + 1) + "/" + check.fall();
    }
}
