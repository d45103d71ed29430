package io.luagate.plugin.health;

import io.luagate.spi.health.CheckResult;
import io.luagate.spi.health.CheckStatus;
import io.luagate.spi.health.ServerCheckState;
import io.luagate.spi.proxy.ServerHealth;

/**
 * HAProxy's arithmetic of a check's counter ({@code set_server_check_status},
 * {@code check_notify_failure}/{@code success}, {@code __health_adjust}): pure functions from a
 * state and a result to the next state and the health that follows.
 */
final class HealthCounter {

    private HealthCounter() {
    }

    /**
     * The state after a check ended with {@code result}: a failure takes one from the counter
     * (to 0 once below rise) and counts in {@code chkfail}; a pass adds one (to the top once at rise).
     */
    static ServerCheckState apply(ServerCheckState state, CheckResult result) {
        int health = state.health();
        long failed = state.failedChecks();
        int top = state.rise() + state.fall() - 1;
        if (result.status().failed() && health > 0) {
            failed++;
            health--;
            if (health < state.rise()) {
                health = 0;
            }
        } else if (result.status().passed() && health < top) {
            health++;
            if (health >= state.rise()) {
                health = top;
            }
        }
        return new ServerCheckState(state.checked(), health, state.rise(), state.fall(), result, failed, false);
    }

    /**
     * The operational state {@code state} leads to from {@code current}: DOWN once the counter is 0,
     * UP once it reaches rise, else unchanged (a server going up stays DOWN, going down stays UP).
     * A forced NOLB stays while the checks pass, as HAProxy's stopping state does.
     */
    static ServerHealth healthAfter(ServerHealth current, ServerCheckState state) {
        if (state.health() == 0) {
            return ServerHealth.DOWN;
        }
        if (state.health() >= state.rise() && current == ServerHealth.DOWN) {
            return ServerHealth.UP;
        }
        return current;
    }

    /** HAProxy's {@code on-error sudden-death}: the counter one above rise at most, so the next failure leaves one. */
    static ServerCheckState suddenDeath(ServerCheckState state) {
        return state.health() > state.rise() ? state.withHealth(state.rise() + 1) : state;
    }

    /** HAProxy's {@code on-error mark-down}: the counter at rise, so that the failure that follows takes it to 0. */
    static ServerCheckState markDown(ServerCheckState state) {
        return state.withHealth(state.rise());
    }

    /** The result a passive check reports: {@code HANA} with HAProxy's text, without a duration. */
    static CheckResult observedFailure(int errors, String lastOutcome) {
        return new CheckResult(CheckStatus.HANA, 0,
                "Detected " + errors + " consecutive errors, last one was: " + lastOutcome, -1);
    }
}
