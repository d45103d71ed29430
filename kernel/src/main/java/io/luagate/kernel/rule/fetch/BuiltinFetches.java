package io.luagate.kernel.rule.fetch;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.match.MatchMethod;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.MultiValueFetch;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.rule.ChannelBuffer;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Fetch;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * HAProxy's sample fetches that this build knows, with their HAProxy names (and the {@code req.}
 * aliases). Arguments are parsed here, at load; each compiled fetch reads the transaction only.
 */
public final class BuiltinFetches {

    /** The match method an ACL uses when none is given, by fetch keyword (HAProxy's defaults). */
    private static final Map<String, MatchMethod> DEFAULT_MATCH = new HashMap<>();

    private BuiltinFetches() {
    }

    /** The default match method of {@code keyword}: int for integers, ip for addresses, bool for booleans, else str. */
    public static MatchMethod defaultMatch(String keyword) {
        return DEFAULT_MATCH.getOrDefault(keyword, MatchMethod.STR);
    }

    /** The response's held bytes where the codec offers them for reading (TCP mode), else {@code null}. */
    private static ChannelBuffer responseChannel(Transaction txn) {
        ChannelBuffer channel = txn.channel(true);
        return channel != null && channel.rawAccess() ? channel : null;
    }

    public static void register(SampleRegistry registry) {
        CaptureFetches.register(registry);
        TypedHeaderFetches.register(registry, DEFAULT_MATCH);
        UrlHashFetches.register(registry, DEFAULT_MATCH);
        TlsFetches.register(registry, DEFAULT_MATCH);
        // The stream's id from the frontend's unique-id-format, made on first use (no sample without one).
        registry.fetch("unique-id", noArgs(txn -> txn.stream().uniqueId()));
        // Request line.
        registry.fetch("method", noArgs(txn -> head(txn) == null ? null : head(txn).method()));
        registry.fetch("path", noArgs(txn -> head(txn) == null ? null : head(txn).path()));
        registry.fetch("pathq", noArgs(BuiltinFetches::pathq));
        registry.fetch("url", noArgs(txn -> head(txn) == null ? null : head(txn).uri()));
        registry.fetch("query", noArgs(txn -> head(txn) == null ? null : head(txn).query()));
        registry.fetch("base", noArgs(BuiltinFetches::base));
        registry.fetch("req.ver", noArgs(txn -> head(txn) == null ? null : head(txn).version().substring(5)));
        for (String name : new String[] {"urlp", "url_param"}) {
            registry.fetch(name, (args, ctx) -> {
                args.expect(0, 2);
                String param = args.string(0, "");
                char delimiter = args.string(1, "&").charAt(0);
                if (param.isEmpty()) {
                    return txn -> urlParam(head(txn), param, delimiter);
                }
                // The first occurrence as a sample (HAProxy), every occurrence in an ACL.
                return new ListedValues(txn -> urlParams(head(txn), param, delimiter),
                        txn -> urlParam(head(txn), param, delimiter), null);
            });
        }

        // Request headers.
        for (String name : new String[] {"hdr", "req.hdr"}) {
            registry.fetch(name, headerFetch(BuiltinFetches::head, true));
        }
        registry.fetch("req.fhdr", headerFetch(BuiltinFetches::head, false));
        for (String name : new String[] {"hdr_cnt", "req.hdr_cnt"}) {
            registry.fetch(name, headerCount(BuiltinFetches::head, true));
            DEFAULT_MATCH.put(name, MatchMethod.INT);
        }
        registry.fetch("req.fhdr_cnt", headerCount(BuiltinFetches::head, false));
        DEFAULT_MATCH.put("req.fhdr_cnt", MatchMethod.INT);
        registry.fetch("req.hdrs", noArgs(txn -> allHeaders(head(txn))));
        for (String name : new String[] {"cook", "req.cook"}) {
            registry.fetch(name, (args, ctx) -> {
                String cookie = args.expect(0, 1).string(0, "");
                if (cookie.isEmpty()) {
                    return txn -> head(txn) == null ? null : HeaderValues.firstCookie(head(txn), "cookie", false);
                }
                return new ListedValues(
                        txn -> head(txn) == null ? List.of() : HeaderValues.cookies(head(txn), "cookie", cookie, false), null,
                        (txn, test) -> head(txn) != null && HeaderValues.anyCookie(head(txn), "cookie", cookie, false, test));
            });
        }

        // Request body, when held back (http-buffer-request).
        registry.fetch("req.body", noArgs(Transaction::requestBody));
        registry.fetch("req.body_len", noArgs(txn -> txn.requestBody() == null ? null : (long) txn.requestBody().length));
        // A parameter of a form-encoded body (HAProxy: the first one when no name is given), as bin.
        registry.fetch("req.body_param", (args, ctx) -> {
            String name = args.expect(0, 1).string(0, "");
            return txn -> {
                byte[] body = txn.requestBody();
                if (body == null) {
                    return null;
                }
                List<String> values = scanParams(new String(body, java.nio.charset.StandardCharsets.ISO_8859_1), name, '&', true);
                return values.isEmpty() ? null : values.get(0).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            };
        });
        DEFAULT_MATCH.put("req.body_param", MatchMethod.BIN);
        DEFAULT_MATCH.put("req.body", MatchMethod.BIN);
        DEFAULT_MATCH.put("req.body_len", MatchMethod.INT);

        // Raw request data (tcp-request content with inspect-delay).
        registry.fetch("req.len", noArgs(txn -> {
            byte[] data = txn.requestBody();
            if (data == null) {
                return null;
            }
            txn.markMayChange();
            return (long) data.length;
        }));
        DEFAULT_MATCH.put("req.len", MatchMethod.INT);
        registry.fetch("req.payload", (args, ctx) -> {
            args.expect(2, 2);
            int offset = (int) args.integer(0);
            int length = (int) args.integer(1);
            if (offset < 0 || length < 0) {
                throw args.error("offset and length must not be negative");
            }
            return txn -> {
                byte[] data = txn.requestBody();
                if (data == null) {
                    return null;
                }
                // Not enough data yet: no sample, and the rule may wait for more (length 0: to the end).
                if (data.length < offset + length || length == 0) {
                    txn.markMayChange();
                }
                if (data.length < offset + length || length == 0 && data.length < offset) {
                    return null;
                }
                int end = length == 0 ? data.length : offset + length;
                return java.util.Arrays.copyOfRange(data, offset, end);
            };
        });
        DEFAULT_MATCH.put("req.payload", MatchMethod.BIN);

        // Raw response data (tcp-response content with inspect-delay): the server's held bytes.
        registry.fetch("res.len", noArgs(txn -> {
            ChannelBuffer held = responseChannel(txn);
            if (held == null) {
                return null;
            }
            if (held.moreMayCome()) {
                txn.markMayChange();
            }
            return (long) held.input();
        }));
        DEFAULT_MATCH.put("res.len", MatchMethod.INT);
        registry.fetch("res.payload", (args, ctx) -> {
            args.expect(2, 2);
            int offset = (int) args.integer(0);
            int length = (int) args.integer(1);
            if (offset < 0 || length < 0) {
                throw args.error("offset and length must not be negative");
            }
            return txn -> {
                ChannelBuffer held = responseChannel(txn);
                if (held == null) {
                    return null;
                }
                int size = held.input();
                if ((size < offset + length || length == 0) && held.moreMayCome()) {
                    txn.markMayChange();
                }
                if (size < offset + length || length == 0 && size < offset) {
                    return null;
                }
                return held.read(offset, length == 0 ? size - offset : length);
            };
        });
        DEFAULT_MATCH.put("res.payload", MatchMethod.BIN);

        // Response.
        for (String name : new String[] {"res.hdr", "shdr"}) {
            registry.fetch(name, headerFetch(Transaction::response, true));
        }
        registry.fetch("res.fhdr", headerFetch(Transaction::response, false));
        registry.fetch("res.hdr_cnt", headerCount(Transaction::response, true));
        DEFAULT_MATCH.put("res.hdr_cnt", MatchMethod.INT);
        registry.fetch("status", noArgs(txn -> txn.response() == null ? null : (long) txn.response().status()));
        DEFAULT_MATCH.put("status", MatchMethod.INT);
        for (String name : new String[] {"res.cook", "scook"}) {
            registry.fetch(name, (args, ctx) -> {
                String cookie = args.expect(0, 1).string(0, "");
                if (cookie.isEmpty()) {
                    return txn -> txn.response() == null ? null
                            : HeaderValues.firstCookie(txn.response(), "set-cookie", true);
                }
                return new ListedValues(txn -> txn.response() == null ? List.of()
                        : HeaderValues.cookies(txn.response(), "set-cookie", cookie, true), null,
                        (txn, test) -> txn.response() != null
                                && HeaderValues.anyCookie(txn.response(), "set-cookie", cookie, true, test));
            });
        }

        // Connection.
        registry.fetch("src", noArgs(txn -> txn.stream().source().getAddress()));
        registry.fetch("src_port", noArgs(txn -> (long) txn.stream().source().getPort()));
        registry.fetch("dst", noArgs(txn -> txn.stream().destination().getAddress()));
        registry.fetch("dst_port", noArgs(txn -> (long) txn.stream().destination().getPort()));
        DEFAULT_MATCH.put("src", MatchMethod.IP);
        DEFAULT_MATCH.put("dst", MatchMethod.IP);
        DEFAULT_MATCH.put("src_port", MatchMethod.INT);
        DEFAULT_MATCH.put("dst_port", MatchMethod.INT);
        registry.fetch("req.proto_http", noArgs(txn -> txn.request() != null));
        registry.fetch("always_true", noArgs(txn -> Boolean.TRUE));
        registry.fetch("always_false", noArgs(txn -> Boolean.FALSE));
        for (String name : new String[] {"req.proto_http", "always_true", "always_false"}) {
            DEFAULT_MATCH.put(name, MatchMethod.BOOL);
        }

        // Proxies and servers.
        registry.fetch("fe_name", noArgs(txn -> txn.stream().session().frontend().name()));
        // Until a backend is chosen the stream's "backend" is its frontend, as in HAProxy.
        registry.fetch("be_name", noArgs(txn -> txn.stream().backend() == null
                ? txn.stream().session().frontend().name() : txn.stream().backend().name()));
        registry.fetch("srv_name", noArgs(txn -> txn.stream().server() == null ? null : txn.stream().server().name()));
        registry.fetch("nbsrv", BuiltinFetches::nbsrv);
        DEFAULT_MATCH.put("nbsrv", MatchMethod.INT);

        // Variables and constants.
        registry.fetch("var", BuiltinFetches::var);
        registry.fetch("str", (args, ctx) -> {
            String value = args.expect(1, 1).string(0);
            return txn -> value;
        });
        registry.fetch("int", (args, ctx) -> {
            Long value = args.expect(1, 1).integer(0);
            return txn -> value;
        });
        DEFAULT_MATCH.put("int", MatchMethod.INT);
        registry.fetch("bool", (args, ctx) -> {
            Boolean value = args.expect(1, 1).integer(0) != 0;
            return txn -> value;
        });
        DEFAULT_MATCH.put("bool", MatchMethod.BOOL);
        registry.fetch("date", (args, ctx) -> {
            long offset = args.expect(0, 2).integer(0, 0);
            long divisor = switch (args.string(1, "s")) {
                case "s" -> 1;
                case "ms" -> 1_000;
                case "us" -> 1_000_000;
                default -> throw args.error("unit must be s, ms or us");
            };
            return txn -> {
                long micros = System.currentTimeMillis() * 1000;
                return micros * divisor / 1_000_000 + offset;
            };
        });
        DEFAULT_MATCH.put("date", MatchMethod.INT);
        registry.fetch("rand", (args, ctx) -> {
            long range = args.expect(0, 1).integer(0, 1L << 32);
            if (range <= 0) {
                throw args.error("range must be positive");
            }
            return txn -> ThreadLocalRandom.current().nextLong(range);
        });
        DEFAULT_MATCH.put("rand", MatchMethod.INT);
        registry.fetch("env", (args, ctx) -> {
            String name = args.expect(1, 1).string(0);
            return txn -> System.getenv(name);
        });
        registry.fetch("hostname", noArgs(constant(hostname())));
        registry.fetch("uuid", (args, ctx) -> {
            if (args.expect(0, 1).integer(0, 4) != 4) {
                throw args.error("only version 4 is supported");
            }
            return txn -> UUID.randomUUID().toString();
        });
    }

    private static HttpHead head(Transaction txn) {
        return txn.request();
    }

    private static io.luagate.kernel.rule.sample.FetchCompiler noArgs(Fetch fetch) {
        return (args, ctx) -> {
            args.expect(0, 0);
            return fetch;
        };
    }

    private static Fetch constant(Object value) {
        return txn -> value;
    }

    private static io.luagate.kernel.rule.sample.FetchCompiler headerFetch(Function<Transaction, HttpHead> which, boolean split) {
        return (args, ctx) -> {
            if (args.expect(0, 2).count() == 0) {
                // HAProxy declares the name optional (ARG2(0,STR,SINT)) and its fetch finds nothing without it.
                return txn -> null;
            }
            String name = args.string(0);
            int occurrence = (int) args.integer(1, -1);
            if (occurrence == 0) {
                throw args.error("occurrence 0 does not exist (1 is the first, -1 the last)");
            }
            if (args.count() == 1) {
                // No occurrence: the last value as a sample, every value in an ACL.
                return new MultiValueFetch() {
                    @Override
                    public Object fetch(Transaction txn) {
                        HttpHead head = which.apply(txn);
                        return head == null ? null : HeaderValues.value(head, name, -1, split);
                    }

                    @Override
                    public int count(Transaction txn) {
                        HttpHead head = which.apply(txn);
                        return head == null ? 0 : (int) HeaderValues.count(head, name, split);
                    }

                    @Override
                    public Object value(Transaction txn, int index) {
                        return HeaderValues.value(which.apply(txn), name, index + 1, split);
                    }

                    @Override
                    public boolean anyValue(Transaction txn, ValueTest test) {
                        HttpHead head = which.apply(txn);
                        return head != null && HeaderValues.anyValue(head, name, split, test);
                    }
                };
            }
            return txn -> {
                HttpHead head = which.apply(txn);
                return head == null ? null : HeaderValues.value(head, name, occurrence, split);
            };
        };
    }

    private static io.luagate.kernel.rule.sample.FetchCompiler headerCount(Function<Transaction, HttpHead> which, boolean split) {
        return (args, ctx) -> {
            // Without a name (optional in HAProxy, ARG1(0,STR)) every header counts.
            String name = args.expect(0, 1).string(0, "");
            return txn -> {
                HttpHead head = which.apply(txn);
                return head == null ? null : HeaderValues.count(head, name, split);
            };
        };
    }

    private static Object pathq(Transaction txn) {
        HttpHead head = head(txn);
        if (head == null) {
            return null;
        }
        String query = head.query();
        return query == null ? head.path() : head.path() + '?' + query;
    }

    private static Object base(Transaction txn) {
        HttpHead head = head(txn);
        if (head == null) {
            return null;
        }
        // HAProxy: the first value of Host (an empty one counts as none), then the path if it starts with '/'.
        String host = HeaderValues.value(head, "host", 1, true);
        if (host == null || host.isEmpty()) {
            return head.path();
        }
        String path = head.path();
        return path != null && path.startsWith("/") ? host + path : host;
    }

    private static String allHeaders(HttpHead head) {
        if (head == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(256);
        head.forEachHeader((name, value) -> out.append(name).append(": ").append(value).append("\r\n"));
        return out.append("\r\n").toString();
    }

    /** Every value of query parameter {@code name}, in order (not decoded). */
    static List<String> urlParams(HttpHead head, String name, char delimiter) {
        return scanParams(head, name, delimiter, false);
    }

    /** Values of {@code name} (any parameter when empty) in the query; {@code firstOnly} stops at one. */
    private static List<String> scanParams(HttpHead head, String name, char delimiter, boolean firstOnly) {
        if (head == null || head.query() == null) {
            return List.of();
        }
        return scanParams(head.query(), name, delimiter, firstOnly);
    }

    /** Values of {@code name} (any parameter when empty) in {@code query}, a list of {@code name=value} split by {@code delimiter}. */
    private static List<String> scanParams(String query, String name, char delimiter, boolean firstOnly) {
        List<String> values = new java.util.ArrayList<>(2);
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf(delimiter, start);
            if (end < 0) {
                end = query.length();
            }
            int eq = query.indexOf('=', start);
            boolean hasValue = eq >= 0 && eq < end;
            int keyEnd = hasValue ? eq : end;
            if (name.isEmpty() || keyEnd - start == name.length() && query.startsWith(name, start)) {
                values.add(hasValue ? query.substring(eq + 1, end) : "");
                if (firstOnly) {
                    return values;
                }
            }
            start = end + 1;
        }
        return values;
    }

    /** The first value of query parameter {@code name} (not decoded); the first parameter when name is empty. */
    static String urlParam(HttpHead head, String name, char delimiter) {
        List<String> values = scanParams(head, name, delimiter, true);
        return values.isEmpty() ? null : values.get(0);
    }

    private static Fetch nbsrv(Args args, CompileContext ctx) throws RuleSyntaxException {
        args.expect(0, 1);
        if (args.count() == 0) {
            return txn -> txn.stream().backend() == null ? null : upServers(txn.stream().backend());
        }
        String name = args.string(0);
        if (!ctx.backendNames().contains(name)) {
            throw args.error("names no backend: '" + name + "'");
        }
        Backend[] resolved = new Backend[1];
        return txn -> {
            // Backends are built together with their rules: resolve on first use, then keep it.
            if (resolved[0] == null) {
                resolved[0] = ctx.backends().apply(name);
            }
            return upServers(resolved[0]);
        };
    }

    private static long upServers(Backend backend) {
        long up = 0;
        for (Server server : backend.servers()) {
            if (server.isUp()) {
                up++;
            }
        }
        return up;
    }

    private static Fetch var(Args args, CompileContext ctx) throws RuleSyntaxException {
        args.expect(1, 2);
        VarRef ref = VarRef.parse(args.string(0), args);
        String fallback = args.count() > 1 ? args.string(1) : null;
        return txn -> {
            Object value = txn.var(ref.scope(), ref.name());
            return value != null ? value : fallback;
        };
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
