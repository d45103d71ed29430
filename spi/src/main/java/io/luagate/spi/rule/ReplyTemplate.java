package io.luagate.spi.rule;

/**
 * A reply compiled at load whose bytes may depend on the request ({@code http-error status 503
 * lf-string ...}): rendering it evaluates its log-format parts on the transaction. A template
 * without such parts returns the same {@link HttpReply} every time.
 */
@FunctionalInterface
public interface ReplyTemplate {

    /** The reply for {@code txn}, on the stream's event loop. */
    HttpReply render(Transaction txn);
}
