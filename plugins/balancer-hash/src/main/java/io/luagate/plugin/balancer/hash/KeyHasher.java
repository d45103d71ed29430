package io.luagate.plugin.balancer.hash;

import io.luagate.spi.balancer.HashFunction;
import io.luagate.spi.balancer.HashType;

/**
 * Turns a stream's key (the bytes of the expression the algorithm asked the kernel for) into the
 * 32-bit hash that picks its server, the way HAProxy 2.6's {@code get_server_*} functions do for
 * each algorithm: {@code source} XORs the address's 32-bit words, {@code uri} hashes the URI up to
 * its {@code ?}, {@code url_param} the parameter's value, {@code hdr} the header's first value (or
 * its domain), {@code hash} the expression's whole value; then the avalanche modifier, if written.
 * A stream without the key gets {@link #NONE}: the balancer then goes round the servers instead.
 */
final class KeyHasher {

    /** No key: the parameter, header or address is missing. */
    static final long NONE = -1;

    /** What the key is, and so how it is read. */
    enum Kind { EXPRESSION, SOURCE, URI, URL_PARAM, HEADER }

    private final Kind kind;
    private final HashFunction function;
    private final boolean avalanche;
    /** uri: how many bytes at most (0: all), where to stop ({@code depth + 1} slashes, 0: none), the query kept, the path alone. */
    private final int uriLength;
    private final int uriStopSlashes;
    private final boolean uriWhole;
    private final boolean uriPathOnly;
    /** url_param: the parameter's name followed by '='. */
    private final byte[] parameter;
    /** hdr: only the domain's middle part ({@code use_domain_only}). */
    private final boolean domainOnly;

    private KeyHasher(Kind kind, HashType type, int uriLength, int uriDepth, boolean uriWhole, boolean uriPathOnly,
                      String parameter, boolean domainOnly) {
        this.kind = kind;
        this.function = type.function();
        this.avalanche = type.avalanche();
        this.uriLength = uriLength;
        this.uriStopSlashes = uriDepth == 0 ? 0 : uriDepth + 1;
        this.uriWhole = uriWhole;
        this.uriPathOnly = uriPathOnly;
        this.parameter = parameter == null ? null : (parameter + "=").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        this.domainOnly = domainOnly;
    }

    static KeyHasher expression(HashType type) {
        return new KeyHasher(Kind.EXPRESSION, type, 0, 0, false, false, null, false);
    }

    static KeyHasher source(HashType type) {
        return new KeyHasher(Kind.SOURCE, type, 0, 0, false, false, null, false);
    }

    /** @param length 0: no limit; @param depth 0: no limit */
    static KeyHasher uri(HashType type, int length, int depth, boolean whole, boolean pathOnly) {
        return new KeyHasher(Kind.URI, type, length, depth, whole, pathOnly, null, false);
    }

    static KeyHasher urlParam(HashType type, String name) {
        return new KeyHasher(Kind.URL_PARAM, type, 0, 0, false, false, name, false);
    }

    static KeyHasher header(HashType type, boolean domainOnly) {
        return new KeyHasher(Kind.HEADER, type, 0, 0, false, false, null, domainOnly);
    }

    /** The unsigned hash of {@code key}, or {@link #NONE}. */
    long hash(byte[] key) {
        if (key == null) {
            return NONE;
        }
        int hash;
        switch (kind) {
            case SOURCE -> {
                if (key.length != 4 && key.length != 16) {
                    return NONE;
                }
                hash = 0;
                for (int i = 0; i + 4 <= key.length; i += 4) {
                    hash ^= (key[i] & 0xff) << 24 | (key[i + 1] & 0xff) << 16 | (key[i + 2] & 0xff) << 8 | key[i + 3] & 0xff;
                }
            }
            case URI -> hash = uri(key);
            case URL_PARAM -> {
                long found = urlParam(key);
                if (found == NONE) {
                    return NONE;
                }
                hash = (int) found;
            }
            case HEADER -> {
                if (key.length == 0) {
                    return NONE;
                }
                hash = domainOnly ? domain(key) : HashFunctions.hash(function, key, 0, key.length);
            }
            default -> hash = HashFunctions.hash(function, key, 0, key.length);
        }
        if (avalanche) {
            hash = HashFunctions.fullHash(hash);
        }
        return hash & 0xffffffffL;
    }

    /** {@code get_server_uh}: the URI (or its path) up to {@code ?} unless whole, cut at len bytes and depth slashes. */
    private int uri(byte[] key) {
        int start = uriPathOnly ? pathStart(key) : 0;
        int remaining = key.length - start;
        if (uriLength > 0) {
            remaining = Math.min(remaining, uriLength);
        }
        int end = start;
        int slashes = 0;
        while (remaining-- > 0) {
            byte c = key[end];
            if (c == '/') {
                slashes++;
                if (slashes == uriStopSlashes) {
                    break;
                }
            } else if (c == '?' && !uriWhole) {
                break;
            }
            end++;
        }
        return HashFunctions.hash(function, key, start, end - start);
    }

    /** {@code http_get_path}: where the path starts in an absolute URI (after scheme and authority). */
    private static int pathStart(byte[] uri) {
        if (uri.length == 0 || uri[0] == '/' || uri[0] == '*') {
            return 0;
        }
        for (int i = 0; i + 2 < uri.length; i++) {
            if (uri[i] == ':' && uri[i + 1] == '/' && uri[i + 2] == '/') {
                for (int j = i + 3; j < uri.length; j++) {
                    if (uri[j] == '/') {
                        return j;
                    }
                }
                return uri.length;
            }
        }
        return 0;
    }

    /** {@code get_server_ph}: the value of the first {@code name=} parameter of the query, up to {@code &}. */
    private long urlParam(byte[] uri) {
        int p = 0;
        while (p < uri.length && uri[p] != '?') {
            p++;
        }
        if (p == uri.length) {
            return NONE;
        }
        int params = p + 1;
        int plen = parameter.length - 1;
        while (uri.length - params > plen) {
            if (uri[params + plen] == '=' && startsWith(uri, params)) {
                int start = params + plen + 1;
                int end = start;
                while (end < uri.length && uri[end] != '&') {
                    end++;
                }
                return HashFunctions.hash(function, uri, start, end - start) & 0xffffffffL;
            }
            int next = params;
            while (next < uri.length && uri[next] != '&') {
                next++;
            }
            if (next == uri.length) {
                return NONE;
            }
            params = next + 1;
        }
        return NONE;
    }

    private boolean startsWith(byte[] uri, int at) {
        for (int i = 0; i < parameter.length - 1; i++) {
            if (uri[at + i] != parameter[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code get_server_hh} with {@code use_domain_only}: going back from the end, the part between
     * the last dot (before the TLD) and the dot before it ({@code www.example.com} hashes {@code example}).
     */
    private int domain(byte[] value) {
        int len = value.length;
        int p = len;
        int end = p;
        boolean hashing = false;
        // HAProxy reads *p one past the end on its first step; that byte is never a dot in its buffers.
        while (len > 0) {
            if (hashing) {
                if (value[p - 1] == '.') {
                    break;
                }
            } else if (p < value.length && value[p] == '.') {
                end = p;
                hashing = true;
            }
            p--;
            len--;
        }
        return HashFunctions.hash(function, value, p, end - p);
    }
}
