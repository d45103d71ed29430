package io.luagate.kernel.rule.action;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.expr.SampleExpr;
import io.luagate.kernel.rule.match.IpAddresses;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.sample.Samples;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Actions on the stream itself: {@code set-dst}, {@code set-dst-port}, {@code set-src},
 * {@code set-src-port}, {@code set-status}, {@code set-log-level}.
 */
final class StreamActions {

    private StreamActions() {
    }

    /**
     * {@code set-dst <expr>}: the destination address becomes the sample (an address, a string
     * holding one, or an integer as an IPv4 address); a server written {@code 0.0.0.0:0} then
     * connects there, as in HAProxy.
     */
    static Action setDst(ActionSyntax syntax) throws RuleSyntaxException {
        syntax.expect(1, 1);
        SampleExpr expr = syntax.expr(0);
        return txn -> {
            InetAddress address = address(expr.eval(txn));
            if (address != null) {
                txn.stream().setDestination(new InetSocketAddress(address, txn.stream().destination().getPort()));
            }
            return Verdict.CONTINUE;
        };
    }

    /** {@code set-dst-port <expr>}: the destination port becomes the sample (an integer 1..65535). */
    static Action setDstPort(ActionSyntax syntax) throws RuleSyntaxException {
        syntax.expect(1, 1);
        SampleExpr expr = syntax.expr(0);
        return txn -> {
            Long port = Samples.asLong(expr.eval(txn));
            if (port != null && port > 0 && port <= 65535) {
                txn.stream().setDestination(new InetSocketAddress(txn.stream().destination().getAddress(), port.intValue()));
            }
            return Verdict.CONTINUE;
        };
    }

    /**
     * {@code set-src <expr>}: the client address of this stream becomes the sample (cast as for
     * {@code set-dst}); its port stays. A sample that is no address changes nothing, as in HAProxy.
     */
    static Action setSrc(ActionSyntax syntax) throws RuleSyntaxException {
        syntax.expect(1, 1);
        SampleExpr expr = syntax.expr(0);
        return txn -> {
            InetAddress address = address(expr.eval(txn));
            if (address != null) {
                txn.stream().setSource(new InetSocketAddress(address, txn.stream().source().getPort()));
            }
            return Verdict.CONTINUE;
        };
    }

    /**
     * {@code set-src-port <expr>}: the client port of this stream becomes the sample, an integer
     * kept to its low 16 bits as HAProxy stores it (99999 becomes 34463).
     */
    static Action setSrcPort(ActionSyntax syntax) throws RuleSyntaxException {
        syntax.expect(1, 1);
        SampleExpr expr = syntax.expr(0);
        return txn -> {
            Long port = Samples.asLong(expr.eval(txn));
            if (port != null) {
                txn.stream().setSource(new InetSocketAddress(txn.stream().source().getAddress(), (int) (port & 0xFFFF)));
            }
            return Verdict.CONTINUE;
        };
    }

    /**
     * An address from a sample, cast as HAProxy does for {@code set-dst} (to {@code addr}): already
     * one, a literal IPv4/IPv6 string (never a DNS name) or an integer (an IPv4 address).
     */
    static InetAddress address(Object sample) {
        if (sample instanceof InetAddress address) {
            return address;
        }
        byte[] bytes = IpAddresses.castToAddress(sample);
        return bytes == null ? null : IpAddresses.toInetAddress(bytes);
    }

    /** {@code set-status <code> [reason <text>]} on the response. */
    static Action setStatus(ActionSyntax syntax) throws RuleSyntaxException {
        if (syntax.side() != Side.RESPONSE && syntax.side() != Side.AFTER_RESPONSE) {
            throw syntax.error("is an http-response action");
        }
        syntax.expect(1, 3);
        int status;
        try {
            status = Integer.parseInt(syntax.word(0).text());
        } catch (NumberFormatException e) {
            throw new RuleSyntaxException(syntax.word(0).column(), "'" + syntax.word(0).text() + "' is not a status code");
        }
        if (status < 100 || status > 999) {
            throw new RuleSyntaxException(syntax.word(0).column(), "status " + status + " is out of range [100, 999]");
        }
        String reason = null;
        if (syntax.count() > 1) {
            if (syntax.count() != 3 || !syntax.word(1).text().equals("reason")) {
                throw syntax.error("takes <code> [reason <text>]");
            }
            reason = syntax.word(2).text();
        }
        String finalReason = reason;
        return txn -> {
            HttpHead response = txn.response();
            if (response != null) {
                response.setStatus(status, finalReason);
            }
            return Verdict.CONTINUE;
        };
    }

    /** {@code set-log-level silent|emerg|alert|crit|err|warning|notice|info|debug}: "silent" drops the log line. */
    static Action setLogLevel(ActionSyntax syntax) throws RuleSyntaxException {
        syntax.expect(1, 1);
        String level = syntax.word(0).text();
        if (!List.of("silent", "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug").contains(level)) {
            throw new RuleSyntaxException(syntax.word(0).column(), "unknown log level '" + level + "'");
        }
        boolean silent = level.equals("silent");
        return txn -> {
            txn.stream().silent(silent);
            return Verdict.CONTINUE;
        };
    }
}
