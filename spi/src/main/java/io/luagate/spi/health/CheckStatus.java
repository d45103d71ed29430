package io.luagate.spi.health;

/**
 * The status of a server's last check, as HAProxy names and describes it (its {@code check_status}
 * column and the reason of its transition log lines). {@link #UNK} and {@link #INI} are not
 * results: no check has ended yet.
 */
public enum CheckStatus {
    UNK("UNK", "Unknown", Result.UNKNOWN),
    INI("INI", "Initializing", Result.UNKNOWN),
    /** The result of a passive check ({@code observe}) that took the server down or toward it. */
    HANA("HANA", "Health analyze", Result.FAILED),
    SOCKERR("SOCKERR", "Socket error", Result.FAILED),
    L4OK("L4OK", "Layer4 check passed", Result.PASSED),
    L4TOUT("L4TOUT", "Layer4 timeout", Result.FAILED),
    L4CON("L4CON", "Layer4 connection problem", Result.FAILED),
    L6OK("L6OK", "Layer6 check passed", Result.PASSED),
    L6TOUT("L6TOUT", "Layer6 timeout", Result.FAILED),
    L6RSP("L6RSP", "Layer6 invalid response", Result.FAILED),
    L7TOUT("L7TOUT", "Layer7 timeout", Result.FAILED),
    L7RSP("L7RSP", "Layer7 invalid response", Result.FAILED),
    L7OK("L7OK", "Layer7 check passed", Result.PASSED),
    L7OKC("L7OKC", "Layer7 check conditionally passed", Result.PASSED),
    L7STS("L7STS", "Layer7 wrong status", Result.FAILED);

    /** Whether a check with this status counts toward rise, toward fall, or not at all. */
    public enum Result {
        UNKNOWN, PASSED, FAILED
    }

    private final String code;
    private final String description;
    private final Result result;

    CheckStatus(String code, String description, Result result) {
        this.code = code;
        this.description = description;
        this.result = result;
    }

    /** HAProxy's short name: {@code L7STS}. */
    public String code() {
        return code;
    }

    /** HAProxy's description, the reason of a transition: {@code Layer7 wrong status}. */
    public String description() {
        return description;
    }

    public Result result() {
        return result;
    }

    public boolean passed() {
        return result == Result.PASSED;
    }

    public boolean failed() {
        return result == Result.FAILED;
    }
}
