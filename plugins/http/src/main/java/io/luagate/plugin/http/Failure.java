package io.luagate.plugin.http;

import io.luagate.spi.stream.TerminationCause;

/**
 * What ended an exchange early, as the place that found it knows it: the cause only. The phase of
 * the logged termination state is derived from the exchange's state in one place,
 * {@link HttpExchange#terminate(Failure)} (HAProxy's {@code sess_set_term_flags}).
 */
enum Failure {
    /** The proxy refused the request: a bad body, a request filter's error, CONNECT, no backend, a body too large for a service. */
    BAD_REQUEST(TerminationCause.PROXY),
    /** A response filter said ERROR. */
    BAD_RESPONSE(TerminationCause.PROXY),
    /** The proxy answered by itself, as configured ({@code return}, {@code redirect}, a service). */
    LOCAL_ANSWER(TerminationCause.LOCAL),
    /** An action, a filter or a service failed, or did not finish within {@code timeout.client}. */
    INTERNAL(TerminationCause.INTERNAL),
    CLIENT_ABORT(TerminationCause.CLIENT_ABORT),
    CLIENT_TIMEOUT(TerminationCause.CLIENT_TIMEOUT),
    /** The server closed, or sent a head or a status that is not HTTP. */
    SERVER_ABORT(TerminationCause.SERVER_ABORT),
    /** The server's response body broke (a bad chunk): always in the data phase, even while its head is held. */
    BROKEN_RESPONSE_BODY(TerminationCause.SERVER_ABORT),
    SERVER_TIMEOUT(TerminationCause.SERVER_TIMEOUT);

    private final TerminationCause cause;

    Failure(TerminationCause cause) {
        this.cause = cause;
    }

    TerminationCause cause() {
        return cause;
    }
}
