package io.luagate.kernel.proxy;

import io.luagate.kernel.rule.expr.SampleExpr;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Samples;
import io.luagate.spi.tls.TlsOrigin;

/**
 * A server's TLS, compiled: the plugin's settings and the {@code sni} expression.
 *
 * @param sni evaluated per stream (HAProxy's {@code sni <expr>}); {@code null} when none is written
 */
public record ServerTls(TlsOrigin origin, SampleExpr sni) {

    /** The name to send for a stream; {@code null} (none) without {@code sni}, or when it gives no sample or an empty one. */
    public String serverName(Transaction txn) {
        if (sni == null || txn == null) {
            return null;
        }
        Object value = sni.eval(txn);
        String name = value == null ? null : Samples.asString(value);
        return name == null || name.isEmpty() ? null : name;
    }
}
