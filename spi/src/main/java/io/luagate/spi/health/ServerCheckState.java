package io.luagate.spi.health;

/**
 * What a server's checks found, as its checker last published it (HAProxy's {@code check.health},
 * {@code rise}, {@code fall}, last check and {@code chkfail}). Immutable: the server holds one
 * at a time and a reader sees a whole one.
 *
 * @param checked      whether active checks run ({@code check = true}); {@code false}: HAProxy's
 *                     {@code no check}
 * @param health       HAProxy's health counter, 0..{@code rise + fall - 1}: the server is UP from
 *                     {@code rise} on; each passed check adds one (up to the top), each failed one
 *                     takes one (down to 0, or to {@code rise - 1} at once when it was UP and
 *                     {@code fall} is 1)
 * @param rise         the {@code rise} setting
 * @param fall         the {@code fall} setting
 * @param last         the last check's result
 * @param failedChecks failed checks so far (HAProxy's {@code chkfail}), observed errors that
 *                     counted as one included
 * @param inProgress   whether a check is running now (HAProxy then shows {@code check_status}
 *                     as {@code "* "} and the last status)
 */
public record ServerCheckState(boolean checked, int health, int rise, int fall, CheckResult last, long failedChecks,
                               boolean inProgress) {

    /** A server without checks. */
    public static final ServerCheckState UNCHECKED = new ServerCheckState(false, 0, 2, 3, CheckResult.INITIALIZING, 0, false);

    /**
     * The state of a checked server before its first check: its counter at {@code rise}, UP but one
     * failed check from DOWN, as HAProxy starts it (its stats then say {@code UP 1/3}).
     */
    public static ServerCheckState initial(int rise, int fall) {
        return new ServerCheckState(true, rise, rise, fall, CheckResult.INITIALIZING, 0, false);
    }

    /** Whether the counter is at its top: a running server with no failed check pending. */
    public boolean full() {
        return health == rise + fall - 1;
    }

    /** The same state with {@code health} as counter. */
    public ServerCheckState withHealth(int health) {
        return new ServerCheckState(checked, health, rise, fall, last, failedChecks, inProgress);
    }

    /** The same state with a check running, or not. */
    public ServerCheckState inProgress(boolean running) {
        return new ServerCheckState(checked, health, rise, fall, last, failedChecks, running);
    }

    /**
     * The {@code check_status} field of HAProxy's stats: the last status's short name, after
     * {@code "* "} while a check runs; {@code null} for a server without checks.
     */
    public String statusField() {
        return checked ? (inProgress ? "* " : "") + last.status().code() : null;
    }
}
