package io.luagate.spi.stream;

/** Which upstream connections a connect may use. */
public enum ReusePolicy {
    /** Whatever the backend's {@code http-reuse} allows for this request. */
    BACKEND_DEFAULT,
    /** A brand-new connection only (a retry after a reused connection failed, or a tunnel). */
    NEW_CONNECTION
}
