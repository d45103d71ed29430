package io.luagate.spi.health;

import java.net.InetAddress;

/**
 * How one server is checked, from its keys (over its backend's {@code default-server} and the
 * {@code defaults} block) and its backend's ({@code httpchk}, {@code http-check},
 * {@code timeout.check}), as HAProxy's keywords of the same names.
 *
 * @param check                 {@code check = true}: active checks run
 * @param interMillis           {@code inter}: between checks while the server is UP (2s)
 * @param fastInterMillis       {@code fastinter}: while it is going up or down, and after
 *                              {@code on-error}; defaults to {@code inter}
 * @param downInterMillis       {@code downinter}: while it is DOWN; defaults to {@code inter}
 * @param rise                  {@code rise}: consecutive passed checks that bring it UP (2)
 * @param fall                  {@code fall}: consecutive failed checks that take it DOWN (3)
 * @param port                  {@code port}: the port checked, 0 for the server's
 * @param address               {@code addr}: the address checked, {@code null} for the server's
 * @param observe               {@code observe}: which outcomes of real traffic count
 * @param errorLimit            {@code error-limit}: consecutive observed errors that trigger
 *                              {@code onError} (10)
 * @param onError               {@code on-error}
 * @param http                  the backend's HTTP check, or {@code null} for a TCP connect check
 * @param checkTimeoutMillis    the backend's {@code timeout.check}, 0 when unset
 * @param connectTimeoutMillis  the backend's {@code timeout.connect}
 */
public record ServerCheckSettings(boolean check, long interMillis, long fastInterMillis, long downInterMillis,
                                  int rise, int fall, int port, InetAddress address, Observe observe,
                                  int errorLimit, OnError onError, HttpCheck http, long checkTimeoutMillis,
                                  long connectTimeoutMillis) {

    /** A server without checks, observing nothing: HAProxy's values for the rest. */
    public static final ServerCheckSettings NONE = new ServerCheckSettings(false, 2000, 2000, 2000, 2, 3, 0, null,
            Observe.NONE, 10, OnError.FASTINTER, null, 0, 5000);

    /**
     * How long the connect of a check may take. With {@code timeout.check} set, the smaller of
     * {@code timeout.connect} and {@code inter} (HAProxy's rule, so a long connect timeout does not
     * slow checks down); without it, {@code inter} bounds the whole check, connect included.
     */
    public long connectTimeout() {
        return checkTimeoutMillis > 0 ? Math.min(connectTimeoutMillis, interMillis) : interMillis;
    }

    /**
     * Whether the response must come within {@link #readTimeout()} of the connect ({@code timeout.check}
     * set), rather than within {@code inter} of the check's start.
     */
    public boolean separateReadTimeout() {
        return checkTimeoutMillis > 0;
    }

    /** With {@code timeout.check} set, how long the response may take once connected; else {@code inter}. */
    public long readTimeout() {
        return checkTimeoutMillis > 0 ? checkTimeoutMillis : interMillis;
    }

    /** Whether anything about health runs for this server: active checks or observed traffic. */
    public boolean enabled() {
        return check || observe != Observe.NONE;
    }
}
