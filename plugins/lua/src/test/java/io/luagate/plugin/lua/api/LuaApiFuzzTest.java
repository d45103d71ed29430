package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaEngine;
import io.luagate.plugin.lua.engine.LuaSettings;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.plugin.lua.engine.NoPatterns;
import io.luagate.plugin.lua.engine.NoSamples;
import io.luagate.plugin.lua.engine.TestRuntime;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.ChannelBuffer;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.VarScope;
import io.luagate.spi.stream.Stream;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;

/**
 * Fuzzes the Lua API's argument handling: calls a function of {@code core}, or a method of a TXN,
 * its Channel ({@code txn.req}), its fetches and converters ({@code txn.f}, {@code txn.c}) or a
 * {@code core.concat()} object, with a fuzzed argument list, inside a real {@link LuaCall} on a real
 * engine's loop. Whatever the arguments, the call returns or raises a Lua error: no Java exception
 * escapes (LuaCall's "internal error", or LuaJ's "vm error" wrapping one) and it ends within 10 s.
 *
 * <p>An input is text: the first line names the function ({@code core.get_info}, {@code req.data};
 * an unknown name picks one by its hash, so every mutation calls something), each further line is
 * one argument: {@code nil}, {@code true}, {@code false}, a number as Lua reads it, {@code "text"}
 * with {@code \n}, {@code \xHH} escapes, {@code {}} or {@code {a,b}} (a table of such scalars),
 * {@code fn} (a function), {@code txn}, {@code req}, {@code concat}, or else the line as a string.
 * The method's own object comes first unless the name is {@code core.*}.
 *
 * <p>Under {@code ./mvnw verify} this replays the inputs in
 * {@code src/test/resources/io/luagate/plugin/lua/api/LuaApiFuzzTestInputs/calls/};
 * {@code bench/fuzz.sh} fuzzes it.
 */
class LuaApiFuzzTest {

    private static EventLoop loop;
    private static LuaEngine engine;
    private static LuaState state;
    /** Every callable target, "kind.name", sorted so that a hash picks the same one on every run. */
    private static List<String> targets;

    private static synchronized void start() throws Exception {
        if (engine != null) {
            return;
        }
        Path home = Files.createTempDirectory("lua-fuzz");
        home.toFile().deleteOnExit();
        Path script = Files.writeString(home.resolve("fuzz.lua"), "-- the API as the engine builds it\n");
        script.toFile().deleteOnExit();
        long timeout = TimeUnit.SECONDS.toNanos(2);
        loop = new DefaultEventLoop();
        // Run-time file I/O off: the fuzzer must not write files wherever its strings point.
        engine = new LuaEngine(new LuaSettings(List.of("fuzz.lua"), List.of(), List.of(), 10_000, timeout, timeout, 0,
                0, 64L << 20, false), home, new NoPatterns(), new NoSamples(), 1);
        assertEquals(List.of(), engine.problems());
        engine.start(TestRuntime.of(loop));
        state = engine.sharedState();
        targets = loop.submit(LuaApiFuzzTest::discover).get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.stop();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            engine = null;
        }
    }

    @FuzzTest(maxDuration = "5m")
    void calls(byte[] input) throws Exception {
        start();
        String[] lines = new String(input, StandardCharsets.ISO_8859_1).split("\n", 17);
        String target = targets.contains(lines[0].strip()) ? lines[0].strip()
                : targets.get(Math.floorMod(lines[0].hashCode(), targets.size()));
        List<String> args = List.of(lines).subList(1, lines.length);
        LuaCall.Outcome outcome;
        try {
            outcome = loop.submit(() -> call(target, args)).get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(target + args + " held its loop for 10 s", e);
        }
        String error = outcome.error();
        if (error != null) {
            boolean harness = error.contains(HARNESS);
            assertFalse(!harness && (error.startsWith("internal error:") || error.contains("vm error: ")),
                    () -> target + args + " let a Java exception escape: " + error);
        }
    }

    private static final String HARNESS = "not in the fuzz harness";

    /** Runs on the loop: one call of {@code target}, in its own LuaCall, as a fetch is called. */
    private static LuaCall.Outcome call(String target, List<String> args) {
        LuaCall call = new LuaCall(state, "fuzz " + target, false, TimeUnit.SECONDS.toNanos(2), loop);
        Map<String, LuaValue> objects = objects(call);
        int dot = target.indexOf('.');
        String kind = target.substring(0, dot);
        String name = target.substring(dot + 1);
        LuaValue self = objects.get(kind);
        LuaValue function = self.get(name);
        List<LuaValue> values = new ArrayList<>();
        if (!kind.equals("core")) {
            values.add(self);
        }
        for (String arg : args) {
            values.add(value(arg.strip(), objects));
        }
        return call.invoke(function, LuaValue.varargsOf(values.toArray(new LuaValue[0])));
    }

    /** The objects a script reaches in a TCP action: core, the TXN and its parts, a Concat. */
    private static Map<String, LuaValue> objects(LuaCall call) {
        MemoryChannel req = new MemoryChannel(false, true, 64, loop).feed("GET / HTTP/1.1\r\nhost: x\r\n\r\n").lastEvaluation();
        MemoryChannel res = new MemoryChannel(true, true, 64, loop);
        LuaValue txn = ((LuaApi) state.api()).txn(new TxnContext(state, new FuzzTxn(req, res), false, call));
        LuaValue core = state.globals().get("core");
        Map<String, LuaValue> objects = new HashMap<>();
        objects.put("core", core);
        objects.put("txn", txn);
        objects.put("req", txn.get("req"));
        objects.put("f", txn.get("f"));
        objects.put("c", txn.get("c"));
        objects.put("concat", core.get("concat").call());
        return objects;
    }

    private static List<String> discover() {
        LuaCall call = new LuaCall(state, "fuzz discovery", false, TimeUnit.SECONDS.toNanos(2), loop);
        TreeMap<String, Boolean> found = new TreeMap<>();
        objects(call).forEach((kind, object) -> {
            for (LuaValue table = object; table.istable() || table.getmetatable() != null; ) {
                if (table.istable()) {
                    for (LuaValue key : keys((LuaTable) table)) {
                        if (key.isstring() && object.get(key).isfunction()) {
                            found.put(kind + "." + key.tojstring(), true);
                        }
                    }
                }
                LuaValue meta = table.getmetatable();
                LuaValue index = meta == null ? LuaValue.NIL : meta.rawget("__index");
                if (!index.istable() || index == table) {
                    break;
                }
                table = index;
            }
        });
        return List.copyOf(found.keySet());
    }

    private static List<LuaValue> keys(LuaTable table) {
        List<LuaValue> keys = new ArrayList<>();
        for (LuaValue key = LuaValue.NIL; ; ) {
            Varargs next = table.next(key);
            key = next.arg1();
            if (key.isnil()) {
                return keys;
            }
            keys.add(key);
        }
    }

    private static LuaValue value(String text, Map<String, LuaValue> objects) {
        switch (text) {
            case "nil": return LuaValue.NIL;
            case "true": return LuaValue.TRUE;
            case "false": return LuaValue.FALSE;
            case "fn": return new OneArgFunction() {
                @Override
                public LuaValue call(LuaValue arg) {
                    return LuaValue.valueOf("fn");
                }
            };
            default:
                break;
        }
        if (objects.containsKey(text) && !text.equals("core")) {
            return objects.get(text);
        }
        if (text.startsWith("{") && text.endsWith("}")) {
            LuaTable table = new LuaTable();
            String inner = text.substring(1, text.length() - 1);
            if (!inner.isBlank()) {
                for (String item : inner.split(",")) {
                    LuaValue element = value(item.strip(), Map.of());
                    table.insert(table.length() + 1, element.isnil() ? LuaValue.FALSE : element);
                }
            }
            return table;
        }
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            return LuaValue.valueOf(unescape(text.substring(1, text.length() - 1)));
        }
        // Java's parsers, not LuaJ's: LuaString.tonumber("0x") throws (a LuaJ bug the API must survive,
        // so the string itself is passed on for the API to meet).
        try {
            return LuaValue.valueOf(Long.parseLong(text));
        } catch (NumberFormatException notInteger) {
            try {
                return LuaValue.valueOf(Double.parseDouble(text));
            } catch (NumberFormatException notNumber) {
                return LuaValue.valueOf(text);
            }
        }
    }

    private static byte[] unescape(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char e = text.charAt(++i);
                switch (e) {
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case '0' -> out.write(0);
                    case 'x' -> {
                        int code = i + 2 < text.length() && HexFormat.isHexDigit(text.charAt(i + 1)) && HexFormat.isHexDigit(text.charAt(i + 2))
                                ? HexFormat.fromHexDigits(text, i + 1, i + 3) : -1;
                        out.write(code < 0 ? 'x' : code);
                        i += code < 0 ? 0 : 2;
                    }
                    default -> out.write(e);
                }
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /**
     * A TCP transaction on in-memory channels whose variables live in a map; whatever else of a
     * stream a method needs is refused with an exception the property recognises as the harness's.
     */
    private record FuzzTxn(ChannelBuffer req, ChannelBuffer res) implements Transaction {
        private static final Map<String, Object> VARS = new HashMap<>();

        @Override
        public Stream stream() {
            return (Stream) Proxy.newProxyInstance(Stream.class.getClassLoader(), new Class<?>[] {Stream.class},
                    (proxy, method, a) -> switch (method.getName()) {
                        case "toString" -> "fuzz stream";
                        case "hashCode" -> 0;
                        case "equals" -> proxy == a[0];
                        default -> throw new UnsupportedOperationException("Stream." + method.getName() + " " + HARNESS);
                    });
        }

        @Override
        public Object var(VarScope scope, String name) {
            return VARS.get(scope + "." + name);
        }

        @Override
        public void setVar(VarScope scope, String name, Object value) {
            if (VARS.size() > 1000) {
                VARS.clear();
            }
            VARS.put(scope + "." + name, value);
        }

        @Override
        public void reply(HttpReply reply) {
            throw new UnsupportedOperationException("reply " + HARNESS);
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
            return response ? res : req;
        }
    }
}
