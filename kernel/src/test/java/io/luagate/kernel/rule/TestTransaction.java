package io.luagate.kernel.rule;

import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.VarScope;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.rule.ReplyTemplate;
import io.luagate.spi.stream.Session;
import io.luagate.spi.stream.Stream;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An in-memory transaction for unit tests of the rule engine: the codec boundary, faked. The
 * real codecs are exercised by the end-to-end tests.
 */
public final class TestTransaction implements Transaction {

    public final TestHead request;
    public TestHead response;
    public HttpReply reply;
    private final Map<VarScope, Map<String, Object>> vars = new EnumMap<>(VarScope.class);

    public TestTransaction(String method, String uri, String... headers) {
        this.request = new TestHead(method, uri, 0, headers);
    }

    public TestTransaction respond(int status, String... headers) {
        this.response = new TestHead(null, null, status, headers);
        return this;
    }

    /** The frontend's name as the stream reports it, and its http-error replies by status. */
    public String frontendName = "fe";
    public final Map<Integer, HttpReply> frontendErrors = new HashMap<>();
    public long frontendTarpitMillis;
    /** The chosen backend's name, or null before one is chosen; its http-error replies and tarpit delay. */
    public String backendName;
    public final Map<Integer, HttpReply> backendErrors = new HashMap<>();
    public long backendTarpitMillis;
    /** What the stream was told: the first termination, whether it is silent. */
    public TerminationCause cause;
    public StreamPhase phase;
    public boolean silent;
    /** What tarpit, early-hint and reject asked the codec for. */
    public HttpReply tarpitReply;
    public long tarpitDelay = -1;
    public final List<String> hints = new ArrayList<>();
    public boolean rejected;

    /**
     * A stream that answers what the rules ask of it here (its frontend, backend, termination); the
     * rest of the interface is not used by rules and answers null.
     */
    @Override
    public Stream stream() {
        Frontend frontend = (Frontend) fake(Frontend.class, (name, args) -> switch (name) {
            case "name" -> frontendName;
            case "errorReply" -> template(frontendErrors.get((Integer) args[0]));
            case "tarpitTimeoutMillis" -> frontendTarpitMillis;
            default -> null;
        });
        Session session = (Session) fake(Session.class, (name, args) -> name.equals("frontend") ? frontend : null);
        Backend backend = backendName == null ? null : (Backend) fake(Backend.class, (name, args) -> switch (name) {
            case "name" -> backendName;
            case "errorReply" -> template(backendErrors.get((Integer) args[0]));
            case "tarpitTimeoutMillis" -> backendTarpitMillis;
            default -> null;
        });
        return (Stream) fake(Stream.class, (name, args) -> switch (name) {
            case "session" -> session;
            case "backend" -> backend;
            case "silent" -> {
                silent = (Boolean) args[0];
                yield null;
            }
            case "terminate" -> {
                if (cause == null) {
                    cause = (TerminationCause) args[0];
                    phase = (StreamPhase) args[1];
                }
                yield null;
            }
            default -> null;
        });
    }

    private static ReplyTemplate template(HttpReply reply) {
        return reply == null ? null : txn -> reply;
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static Object fake(Class<?> type, Answer answer) {
        return Proxy.newProxyInstance(TestTransaction.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.answer(method.getName(), args));
    }

    @Override
    public void tarpit(HttpReply reply, long delayMillis) {
        tarpitReply = reply;
        tarpitDelay = delayMillis;
    }

    @Override
    public void earlyHint(String name, String value, boolean last) {
        hints.add(name + ": " + value + (last ? " (sent)" : ""));
    }

    @Override
    public void reject() {
        rejected = true;
    }

    @Override
    public void reply(HttpReply reply) {
        this.reply = reply;
    }

    @Override
    public HttpHead request() {
        return request;
    }

    @Override
    public HttpHead response() {
        return response;
    }

    private byte[] body;

    /** Holds {@code text} (Latin-1) back as the request body, as http-buffer-request does. */
    public TestTransaction body(String text) {
        this.body = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return this;
    }

    @Override
    public byte[] requestBody() {
        return body;
    }

    @Override
    public Object var(VarScope scope, String name) {
        return vars.getOrDefault(scope, Map.of()).get(name);
    }

    @Override
    public void setVar(VarScope scope, String name, Object value) {
        Map<String, Object> map = vars.computeIfAbsent(scope, s -> new HashMap<>());
        if (value == null) {
            map.remove(name);
        } else {
            map.put(name, value);
        }
    }

    /** A message head kept as a list of header lines. */
    public static final class TestHead implements HttpHead {
        private String method;
        private String uri;
        private int status;
        public String reason;
        private final List<String[]> headers = new ArrayList<>();

        TestHead(String method, String uri, int status, String... headers) {
            this.method = method;
            this.uri = uri;
            this.status = status;
            for (int i = 0; i < headers.length; i += 2) {
                this.headers.add(new String[] {headers[i], headers[i + 1]});
            }
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public void setMethod(String method) {
            this.method = method;
        }

        @Override
        public String uri() {
            return uri;
        }

        @Override
        public void setUri(String uri) {
            this.uri = uri;
        }

        private String splitFrom;
        private String path;
        private String query;

        /** Split once per URI, as the HTTP codec's head does. */
        private void split() {
            if (uri == splitFrom) {
                return;
            }
            splitFrom = uri;
            int start = uri.startsWith("/") ? 0 : Math.max(0, uri.indexOf('/', uri.indexOf("://") + 3));
            int q = uri.indexOf('?');
            path = q < 0 ? uri.substring(start) : uri.substring(start, q);
            query = q < 0 ? null : uri.substring(q + 1);
        }

        @Override
        public String path() {
            split();
            return path;
        }

        @Override
        public String query() {
            split();
            return query;
        }

        @Override
        public String version() {
            return "HTTP/1.1";
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public void setStatus(int status, String reason) {
            this.status = status;
            this.reason = reason;
        }

        @Override
        public String header(String name) {
            for (String[] h : headers) {
                if (io.luagate.spi.http.AsciiFold.equalsIgnoreCase(h[0], name)) {
                    return h[1];
                }
            }
            return null;
        }

        @Override
        public List<String> headers(String name) {
            List<String> values = null;
            for (String[] h : headers) {
                if (io.luagate.spi.http.AsciiFold.equalsIgnoreCase(h[0], name)) {
                    if (values == null) {
                        values = new ArrayList<>(2);
                    }
                    values.add(h[1]);
                }
            }
            return values == null ? List.of() : values;
        }

        @Override
        public String lastHeader(String name) {
            String last = null;
            for (String[] h : headers) {
                if (io.luagate.spi.http.AsciiFold.equalsIgnoreCase(h[0], name)) {
                    last = h[1];
                }
            }
            return last;
        }

        @Override
        public void setHeader(String name, String value) {
            removeHeader(name);
            addHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            headers.add(new String[] {name, value});
        }

        @Override
        public void removeHeader(String name) {
            headers.removeIf(h -> io.luagate.spi.http.AsciiFold.equalsIgnoreCase(h[0], name));
        }

        @Override
        public void forEachHeader(BiConsumer<String, String> action) {
            for (String[] h : List.copyOf(headers)) {
                action.accept(h[0], h[1]);
            }
        }
    }
}
