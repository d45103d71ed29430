package io.luagate.kernel.rule.fetch;

import io.luagate.kernel.rule.conv.Hashes;
import io.luagate.kernel.rule.match.MatchMethod;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.Transaction;
import java.util.Map;

/**
 * HAProxy's 32-bit hashes of a request's Host and path, for per-URL counters: {@code base32}
 * (the first Host value and the path without the query), {@code url32} (the whole first Host line
 * and the path with the query), and their {@code +src} forms (the hash, big-endian, followed by
 * the client address's 4 or 16 bytes). The hash is HAProxy's sdbm-style loop over the bytes as C
 * {@code char}s (signed), then its {@code full_hash} avalanche.
 */
final class UrlHashFetches {

    private UrlHashFetches() {
    }

    static void register(SampleRegistry registry, Map<String, MatchMethod> defaultMatch) {
        registry.fetch("base32", (args, ctx) -> {
            args.expect(0, 0);
            return txn -> hash(txn, false);
        });
        registry.fetch("url32", (args, ctx) -> {
            args.expect(0, 0);
            return txn -> hash(txn, true);
        });
        registry.fetch("base32+src", (args, ctx) -> {
            args.expect(0, 0);
            return txn -> withSource(txn, hash(txn, false));
        });
        registry.fetch("url32+src", (args, ctx) -> {
            args.expect(0, 0);
            return txn -> withSource(txn, hash(txn, true));
        });
        defaultMatch.put("base32", MatchMethod.INT);
        defaultMatch.put("url32", MatchMethod.INT);
        defaultMatch.put("base32+src", MatchMethod.BIN);
        defaultMatch.put("url32+src", MatchMethod.BIN);
    }

    /** The hash as an unsigned 32-bit value, or null without a request. */
    private static Long hash(Transaction txn, boolean url) {
        HttpHead head = txn.request();
        if (head == null) {
            return null;
        }
        int hash = 0;
        // base32 takes the first comma-separated value of Host, url32 its whole first line.
        String host = url ? head.header("host") : HeaderValues.value(head, "host", 1, true);
        if (host != null) {
            hash = mix(hash, url ? host.trim() : host);
        }
        String path = head.path();
        if (path != null && !path.isEmpty() && path.charAt(0) == '/') {
            hash = mix(hash, path);
            String query = url ? head.query() : null;
            if (query != null) {
                hash = mix(mix(hash, "?"), query);
            }
        }
        return Hashes.fullHash(hash) & 0xffffffffL;
    }

    private static int mix(int hash, String bytes) {
        for (int i = 0; i < bytes.length(); i++) {
            hash = (byte) bytes.charAt(i) + (hash << 6) + (hash << 16) - hash;
        }
        return hash;
    }

    private static byte[] withSource(Transaction txn, Long hash) {
        if (hash == null) {
            return null;
        }
        byte[] address = txn.stream().source().getAddress().getAddress();
        byte[] out = new byte[4 + address.length];
        int h = (int) (long) hash;
        out[0] = (byte) (h >>> 24);
        out[1] = (byte) (h >>> 16);
        out[2] = (byte) (h >>> 8);
        out[3] = (byte) h;
        System.arraycopy(address, 0, out, 4, address.length);
        return out;
    }
}
