package io.luagate.kernel.rule.fetch;

import io.luagate.kernel.rule.match.MatchMethod;
import io.luagate.kernel.rule.sample.FetchCompiler;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Fetch;
import io.luagate.spi.stream.Session;
import io.luagate.spi.tls.TlsSession;
import io.netty.channel.Channel;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.security.auth.x500.X500Principal;

/**
 * HAProxy's {@code ssl_fc*}, {@code ssl_c_*} and {@code ssl_bc*} fetches, in HAProxy 2.6's output
 * formats. They read the {@link TlsSession} the tls plugin leaves on the client connection (and,
 * for {@code ssl_bc*}, the one of the stream's server connection); on a connection without
 * TLS {@code ssl_fc} is false and the others have no sample, as in HAProxy.
 */
final class TlsFetches {

    /**
     * ASN.1 UTCTime (until 2049) and GeneralizedTime, as OpenSSL keeps them and HAProxy returns them.
     * Made when a certificate date is first fetched: java.time's formatting is some 30 classes that a
     * process without such a rule never needs.
     */
    private static final class Asn1Times {
        static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT);
        static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'", Locale.ROOT);
    }

    private TlsFetches() {
    }

    static void register(SampleRegistry registry, Map<String, MatchMethod> defaultMatch) {
        registry.fetch("ssl_fc", noArgs(txn -> tls(txn) != null));
        defaultMatch.put("ssl_fc", MatchMethod.BOOL);
        registry.fetch("ssl_fc_sni", session(TlsSession::serverName));
        registry.fetch("ssl_fc_protocol", session(TlsSession::protocol));
        registry.fetch("ssl_fc_cipher", session(TlsSession::cipher));
        registry.fetch("ssl_fc_alpn", session(TlsSession::applicationProtocol));
        // The server side: the stream's current server connection (HAProxy's scb).
        registry.fetch("ssl_bc", noArgs(txn -> txn.stream().serverTls() != null));
        defaultMatch.put("ssl_bc", MatchMethod.BOOL);
        registry.fetch("ssl_bc_protocol", server(TlsSession::protocol));
        registry.fetch("ssl_bc_cipher", server(TlsSession::cipher));
        registry.fetch("ssl_bc_alpn", server(TlsSession::applicationProtocol));
        registry.fetch("ssl_c_used", session(s -> s.clientCertificate() != null));
        defaultMatch.put("ssl_c_used", MatchMethod.BOOL);
        registry.fetch("ssl_c_verify", session(TlsSession::verifyResult));
        defaultMatch.put("ssl_c_verify", MatchMethod.INT);
        registry.fetch("ssl_c_serial", certificate(TlsFetches::serial));
        defaultMatch.put("ssl_c_serial", MatchMethod.BIN);
        registry.fetch("ssl_c_notafter", certificate(c -> asn1Time(c.getNotAfter().toInstant().atZone(ZoneOffset.UTC))));
        registry.fetch("ssl_c_s_dn", distinguishedName(X509Certificate::getSubjectX500Principal));
        registry.fetch("ssl_c_i_dn", distinguishedName(X509Certificate::getIssuerX500Principal));
    }

    /** The connection's TLS facts, or {@code null} without TLS (or before its handshake ended). */
    static TlsSession tls(Transaction txn) {
        Session session = txn.stream().session();
        Channel channel = session == null ? null : session.channel();
        return channel == null ? null : channel.attr(TlsSession.ATTRIBUTE).get();
    }

    private static FetchCompiler noArgs(Fetch fetch) {
        return (args, ctx) -> {
            args.expect(0, 0);
            return fetch;
        };
    }

    private static FetchCompiler session(Function<TlsSession, Object> read) {
        return noArgs(txn -> {
            TlsSession session = tls(txn);
            return session == null ? null : read.apply(session);
        });
    }

    private static FetchCompiler server(Function<TlsSession, Object> read) {
        return noArgs(txn -> {
            TlsSession session = txn.stream().serverTls();
            return session == null ? null : read.apply(session);
        });
    }

    private static FetchCompiler certificate(Function<X509Certificate, Object> read) {
        return noArgs(txn -> {
            TlsSession session = tls(txn);
            X509Certificate certificate = session == null ? null : session.clientCertificate();
            return certificate == null ? null : read.apply(certificate);
        });
    }

    /** {@code ssl_c_s_dn([entry[,occ[,format]]])}: the whole name, one entry of it, or the name in RFC 2253 form. */
    private static FetchCompiler distinguishedName(Function<X509Certificate, X500Principal> which) {
        return (args, ctx) -> {
            args.expect(0, 3);
            String entry = args.string(0, "");
            long occurrence = args.integer(1, 1);
            String format = args.string(2, "");
            if (!format.isEmpty() && !format.equals("rfc2253")) {
                throw args.error("invalid DN format '" + format + "': only rfc2253 is known");
            }
            // HAProxy's own example for the whole name in RFC 2253 form is ssl_c_s_dn(,0,rfc2253).
            if (occurrence == 0 && !entry.isEmpty()) {
                throw args.error("occurrence must not be 0");
            }
            return txn -> {
                TlsSession session = tls(txn);
                X509Certificate certificate = session == null ? null : session.clientCertificate();
                if (certificate == null) {
                    return null;
                }
                X500Principal name = which.apply(certificate);
                if (!entry.isEmpty()) {
                    return DistinguishedNames.entry(name, entry, (int) occurrence);
                }
                return format.isEmpty() ? DistinguishedNames.oneLine(name) : DistinguishedNames.rfc2253(name);
            };
        };
    }

    /** The serial number's magnitude, big-endian, as OpenSSL stores it (no sign byte): bin. */
    private static byte[] serial(X509Certificate certificate) {
        byte[] bytes = certificate.getSerialNumber().toByteArray();
        if (bytes.length > 1 && bytes[0] == 0 && certificate.getSerialNumber().signum() >= 0) {
            return Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return certificate.getSerialNumber().signum() == 0 ? BigInteger.ZERO.toByteArray() : bytes;
    }

    /** RFC 5280: UTCTime until 2049, GeneralizedTime from 2050; the date as the certificate holds it. */
    static String asn1Time(ZonedDateTime time) {
        return time.getYear() < 2050 ? Asn1Times.UTC_TIME.format(time) : Asn1Times.GENERALIZED_TIME.format(time);
    }
}
