package io.luagate.kernel.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.rule.action.ActionTable;
import io.luagate.kernel.rule.action.Side;
import io.luagate.kernel.rule.conv.BuiltinConverters;
import io.luagate.kernel.rule.fetch.BuiltinFetches;
import io.luagate.kernel.rule.map.Maps;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ChannelBuffer;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.sample.VarScope;
import io.luagate.spi.stream.Stream;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tcp-response content} rules compiled and run, with {@code res.len} and {@code res.payload}. */
class TcpResponseRulesTest {

    @TempDir
    Path home;
    private RuleCompiler compiler;

    @BeforeEach
    void setUp() {
        SampleRegistry registry = new SampleRegistry();
        BuiltinFetches.register(registry);
        BuiltinConverters.register(registry);
        compiler = new RuleCompiler(new CompileContext(home, new Maps(home), registry), ActionTable.builtin());
    }

    private static List<Settings.Rule> rules(String... texts) {
        return Arrays.stream(texts).map(t -> new Settings.Rule(t, "t.conf:9")).toList();
    }

    private List<Action> compile(String... texts) {
        Problems problems = new Problems();
        List<Action> actions = compiler.actions(rules(texts), Side.TCP_RESPONSE, Map.of(), "backends.be.tcp-response", problems);
        problems.throwIfAny();
        return actions;
    }

    private List<String> problems(String... texts) {
        Problems problems = new Problems();
        compiler.actions(rules(texts), Side.TCP_RESPONSE, Map.of(), "backends.be.tcp-response", problems);
        return problems.list().stream().map(Object::toString).toList();
    }

    private static Verdict run(List<Action> actions, Txn txn) {
        for (Action action : actions) {
            Verdict verdict = action.execute(txn);
            if (verdict != Verdict.CONTINUE) {
                return verdict;
            }
        }
        return Verdict.CONTINUE;
    }

    @Test
    void theRuleListOfHAProxyWithItsInspectDelay() {
        List<Action> rules = compile(
                "inspect-delay 1500ms",
                "content set-var(txn.len) res.len",
                "content reject if { res.payload(0,3) -m bin 424144 }",
                "content close if { res.len gt 100 }",
                "content unset-var(txn.gone)",
                "content set-var-fmt(txn.seen) got-%[res.len]",
                "content set-log-level silent if FALSE",
                "content accept");
        assertEquals(1500, compiler.tcpInspectDelay(rules("inspect-delay 1500ms", "content accept"), "k", new Problems()));

        Txn bad = new Txn("BAD answer", false);
        assertEquals(Verdict.STOP, run(rules, bad));
        assertEquals(TerminationCause.PROXY, bad.cause);
        assertEquals(StreamPhase.DATA, bad.phase);
        assertEquals(10L, bad.var(VarScope.TXN, "len"));

        Txn big = new Txn("x".repeat(150), false);
        assertEquals(Verdict.ALLOW, run(rules, big));
        assertTrue(big.serverClosed);

        Txn good = new Txn("OK", false);
        good.setVar(VarScope.TXN, "gone", "x");
        assertEquals(Verdict.ALLOW, run(rules, good));
        assertEquals(null, good.var(VarScope.TXN, "gone"));
        assertEquals("got-2", good.var(VarScope.TXN, "seen"));
        assertEquals(null, good.cause);
    }

    @Test
    void aConditionOnBytesThatMayStillComeWaits() {
        List<Action> rules = compile("content reject if { res.payload(0,3) -m bin 424144 }", "content accept");
        // Two bytes so far and more may come: the reject rule cannot decide yet.
        assertEquals(Verdict.WAIT, run(rules, new Txn("BA", true)));
        // The same two bytes as final: no match, the next rule accepts.
        assertEquals(Verdict.ALLOW, run(rules, new Txn("BA", false)));
        assertEquals(Verdict.STOP, run(rules, new Txn("BAD", true)));
    }

    @Test
    void unknownActionsNameTheRuleAndItsLine() {
        List<String> problems = problems("content set-dst src", "content use-service x", "accept", "inspect-delay soon",
                "content reject now");
        assertEquals(5, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("t.conf:9: backends.be.tcp-response: in rule \"content set-dst src\" (column 9): "
                + "unknown tcp-response content action 'set-dst'; known: accept, close, reject, set-log-level, set-var, "
                + "set-var-fmt, unset-var"), problems.get(0));
        assertTrue(problems.get(1).contains("unknown tcp-response content action 'use-service'"), problems.get(1));
        assertTrue(problems.get(2).contains("expected 'content <action> ...' or 'inspect-delay <time>'"), problems.get(2));
        assertTrue(problems.get(3).contains("'soon' is not a duration"), problems.get(3));
        assertTrue(problems.get(4).contains("unexpected 'now'"), problems.get(4));
    }

    /** A transaction in the response phase of a TCP stream, with the server's first bytes held. */
    private static final class Txn implements Transaction {
        final Map<String, Object> vars = new HashMap<>();
        TerminationCause cause;
        StreamPhase phase;
        boolean serverClosed;
        int marks;
        private final ChannelBuffer res;
        private final Stream stream;

        Txn(String held, boolean moreMayCome) {
            this.res = new HeldResponse(held.getBytes(StandardCharsets.ISO_8859_1), moreMayCome);
            this.stream = (Stream) Proxy.newProxyInstance(Stream.class.getClassLoader(), new Class<?>[] {Stream.class},
                    (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "terminate" -> {
                                cause = (TerminationCause) args[0];
                                phase = (StreamPhase) args[1];
                            }
                            case "silent" -> {
                                // set-log-level: nothing to check here
                            }
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
        }

        @Override
        public Stream stream() {
            return stream;
        }

        @Override
        public void reply(HttpReply reply) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpHead request() {
            return null;
        }

        @Override
        public HttpHead response() {
            return null;
        }

        @Override
        public byte[] requestBody() {
            return null;
        }

        @Override
        public ChannelBuffer channel(boolean response) {
            return response ? res : null;
        }

        @Override
        public void closeServer() {
            serverClosed = true;
        }

        @Override
        public void markMayChange() {
            marks++;
        }

        @Override
        public int mayChangeMarks() {
            return marks;
        }

        @Override
        public Object var(VarScope scope, String name) {
            return vars.get(scope + "." + name);
        }

        @Override
        public void setVar(VarScope scope, String name, Object value) {
            if (value == null) {
                vars.remove(scope + "." + name);
            } else {
                vars.put(scope + "." + name, value);
            }
        }
    }

    /** Held response bytes that only answer reads. */
    private record HeldResponse(byte[] bytes, boolean more) implements ChannelBuffer {
        @Override public boolean isResponse() { return true; }
        @Override public boolean rawAccess() { return true; }
        @Override public int input() { return bytes.length; }
        @Override public int output() { return 0; }
        @Override public boolean mayReceive() { return more; }
        @Override public boolean isFull() { return false; }
        @Override public boolean moreMayCome() { return more; }
        @Override public void onChange(Runnable task) { throw new UnsupportedOperationException(); }
        @Override public byte[] read(int offset, int length) { return Arrays.copyOfRange(bytes, offset, offset + length); }
        @Override public int set(int offset, int length, byte[] data) { throw new UnsupportedOperationException(); }
        @Override public int remove(int offset, int length) { throw new UnsupportedOperationException(); }
        @Override public int send(byte[] data) { throw new UnsupportedOperationException(); }
        @Override public int forward(int length) { throw new UnsupportedOperationException(); }
    }
}
