package io.luagate.plugin.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.spi.health.CheckResult;
import io.luagate.spi.health.CheckStatus;
import io.luagate.spi.health.ServerCheckState;
import io.luagate.spi.health.ServerStatus;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import org.junit.jupiter.api.Test;

class HealthCounterTest {

    private static final CheckResult PASS = new CheckResult(CheckStatus.L4OK, 0, "", 1);
    private static final CheckResult FAIL = new CheckResult(CheckStatus.L4CON, 0, "Connection refused", 0);

    /** Steps the counter as HAProxy's checks do, tracking the health each state leads to. */
    private static final class Walk {
        ServerCheckState state;
        ServerHealth health = ServerHealth.UP;

        Walk(int rise, int fall) {
            state = ServerCheckState.initial(rise, fall);
        }

        String step(CheckResult result) {
            state = HealthCounter.apply(state, result);
            health = HealthCounter.healthAfter(health, state);
            return ServerStatus.of(ServerAdmin.READY, health, state);
        }
    }

    @Test
    void aServerStartsOneFailureFromDownAsHaproxyStartsIt() {
        Walk w = new Walk(2, 3);
        assertEquals("UP 1/3", ServerStatus.of(ServerAdmin.READY, ServerHealth.UP, w.state));
        assertEquals("DOWN", w.step(FAIL));
        assertEquals(1, w.state.failedChecks());
    }

    @Test
    void fallFailuresTakeAFullServerDownAndRisePassesBringItBack() {
        Walk w = new Walk(2, 3);
        assertEquals("UP", w.step(PASS));
        assertEquals(4, w.state.health());
        assertEquals("UP 2/3", w.step(FAIL));
        assertEquals("UP 1/3", w.step(FAIL));
        assertEquals("DOWN", w.step(FAIL));
        assertEquals(ServerHealth.DOWN, w.health);
        assertEquals("DOWN", w.step(FAIL), "a DOWN server's failures count no more");
        assertEquals(3, w.state.failedChecks());
        assertEquals("DOWN 1/2", w.step(PASS));
        assertEquals(ServerHealth.DOWN, w.health);
        assertEquals("UP", w.step(PASS));
        assertEquals(ServerHealth.UP, w.health);
    }

    @Test
    void aPassBetweenFailuresRefillsTheCounter() {
        Walk w = new Walk(2, 3);
        w.step(PASS);
        w.step(FAIL);
        w.step(FAIL);
        assertEquals("UP", w.step(PASS), "one pass while going down puts it back on top");
        assertEquals("UP 2/3", w.step(FAIL));
    }

    @Test
    void goingUpAgainAfterAFailureStartsOver() {
        Walk w = new Walk(3, 2);
        w.step(FAIL);
        assertEquals("DOWN 1/3", w.step(PASS));
        assertEquals("DOWN 2/3", w.step(PASS));
        assertEquals("DOWN", w.step(FAIL), "below rise a failure drops the counter to 0");
    }

    @Test
    void onErrorActionsMoveTheCounterAsHaproxy() {
        Walk w = new Walk(2, 3);
        w.step(PASS);
        CheckResult hana = HealthCounter.observedFailure(10, "L4 unsuccessful connection");
        assertEquals("Detected 10 consecutive errors, last one was: L4 unsuccessful connection", hana.info());
        assertEquals(-1, hana.durationMillis());
        w.state = HealthCounter.suddenDeath(w.state);
        assertEquals("UP 1/3", w.step(hana), "sudden-death leaves one failed check");
        assertEquals("DOWN", w.step(FAIL));

        Walk m = new Walk(2, 3);
        m.step(PASS);
        m.state = HealthCounter.markDown(m.state);
        assertEquals("DOWN", m.step(hana), "mark-down takes it down at once");
    }

    @Test
    void statusTextCoversEveryStateHaproxyShows() {
        ServerCheckState full = new ServerCheckState(true, 4, 2, 3, PASS, 0, false);
        assertEquals("MAINT", ServerStatus.of(ServerAdmin.MAINT, ServerHealth.DOWN, full));
        assertEquals("DRAIN", ServerStatus.of(ServerAdmin.DRAIN, ServerHealth.UP, full));
        assertEquals("DRAIN 2/3", ServerStatus.of(ServerAdmin.DRAIN, ServerHealth.UP, full.withHealth(3)));
        assertEquals("NOLB", ServerStatus.of(ServerAdmin.READY, ServerHealth.NOLB, full));
        assertEquals("NOLB 1/3", ServerStatus.of(ServerAdmin.READY, ServerHealth.NOLB, full.withHealth(2)));
        assertEquals("no check", ServerStatus.of(ServerAdmin.READY, ServerHealth.UP, ServerCheckState.UNCHECKED));
        assertEquals("DOWN", ServerStatus.of(ServerAdmin.READY, ServerHealth.DOWN, ServerCheckState.UNCHECKED));
        assertEquals("* L4OK", full.inProgress(true).statusField());
        assertEquals(null, ServerCheckState.UNCHECKED.statusField());
    }
}
