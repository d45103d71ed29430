package io.luagate.spi.health;

/**
 * What one check found, as HAProxy reports it: {@code check_status}, {@code check_code},
 * {@code check_desc} (the info) and {@code check_duration}.
 *
 * @param status         the status
 * @param code           the HTTP status of a layer-7 check's response, else 0 (HAProxy's empty code)
 * @param info           what went wrong or what was found ({@code Connection refused}, the
 *                       response's reason phrase), or {@code ""}
 * @param durationMillis how long the check took, -1 when it did not run (HAProxy's empty duration)
 */
public record CheckResult(CheckStatus status, int code, String info, long durationMillis) {

    /** Before the first check has ended. */
    public static final CheckResult INITIALIZING = new CheckResult(CheckStatus.INI, 0, "", -1);

    public CheckResult {
        info = info == null ? "" : info;
    }

    /** Whether HAProxy shows {@link #code()} with it (the layer-7 statuses that read a response's status). */
    public boolean hasCode() {
        return status == CheckStatus.L7OK || status == CheckStatus.L7OKC || status == CheckStatus.L7STS;
    }
}
