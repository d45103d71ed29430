package io.luagate.spi.sample;

/** HAProxy's variable scopes and their lifetimes. */
public enum VarScope {
    /** The whole process; shared by every stream on every event loop. */
    PROC,
    /** One client connection (session), across its requests. */
    SESS,
    /** One transaction: a request and its response. */
    TXN,
    /** One transaction's request processing. */
    REQ,
    /** One transaction's response processing. */
    RES;

    /** The scope named {@code proc}, {@code sess}, {@code txn}, {@code req} or {@code res}; {@code null} otherwise. */
    public static VarScope parse(String name) {
        return switch (name) {
            case "proc" -> PROC;
            case "sess" -> SESS;
            case "txn" -> TXN;
            case "req" -> REQ;
            case "res" -> RES;
            default -> null;
        };
    }
}
