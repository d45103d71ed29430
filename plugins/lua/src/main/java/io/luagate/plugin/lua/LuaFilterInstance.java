package io.luagate.plugin.lua;

import io.luagate.plugin.lua.api.FilterApi;
import io.luagate.plugin.lua.api.FilterHandle;
import io.luagate.plugin.lua.api.FilterMessage;
import io.luagate.plugin.lua.api.LuaApi;
import io.luagate.plugin.lua.api.MessageWindow;
import io.luagate.plugin.lua.api.TxnContext;
import io.luagate.plugin.lua.engine.FunctionAccount;
import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.plugin.lua.engine.LuaEngine;
import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.spi.filter.FilterInstance;
import io.luagate.spi.filter.FilterResult;
import io.luagate.spi.filter.HttpMessage;
import io.luagate.spi.rule.ChannelBuffer;
import io.luagate.spi.rule.Transaction;
import io.netty.channel.EventLoop;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A Lua filter on one stream: each callback is a non-yielding call into the instance's state
 * (HAProxy runs them all as "final"), bounded by {@code lua.session-timeout} and
 * {@code lua.burst-timeout}.
 */
final class LuaFilterInstance implements FilterInstance, FilterHandle {

    private static final LuaValue START_ANALYZE = LuaValue.valueOf("start_analyze");
    private static final LuaValue END_ANALYZE = LuaValue.valueOf("end_analyze");
    private static final LuaValue HTTP_HEADERS = LuaValue.valueOf("http_headers");
    private static final LuaValue HTTP_PAYLOAD = LuaValue.valueOf("http_payload");
    private static final LuaValue HTTP_END = LuaValue.valueOf("http_end");
    private static final LuaValue TCP_PAYLOAD = LuaValue.valueOf("tcp_payload");
    private static final LuaValue[] CALLBACKS = {START_ANALYZE, END_ANALYZE, HTTP_HEADERS, HTTP_PAYLOAD, HTTP_END, TCP_PAYLOAD};
    private static final LuaValue HTTP_REQ = LuaValue.valueOf("http_req");
    private static final LuaValue REQ = LuaValue.valueOf("req");
    private static final LuaValue RES = LuaValue.valueOf("res");
    private static final LuaValue HTTP_RES = LuaValue.valueOf("http_res");

    private final String name;
    private final LuaState state;
    private LuaTable instance;
    /** Bit i set: the class defines {@code CALLBACKS[i]}. */
    private final int defined;
    private final Transaction txn;
    private final EventLoop loop;
    private final long timeoutNanos;
    /** The filter registration's counters in this state; {@code null}: not counted. */
    private final FunctionAccount account;
    private boolean requestData;
    private boolean responseData;
    private long wakeMillis = 1;
    /**
     * Per direction, the step that returned {@code filter.WAIT} last and the Lua time its runs used:
     * its re-runs share one {@code lua.session-timeout}, as the yields of one call do.
     */
    private final LuaValue[] waitingStep = new LuaValue[2];
    private final long[] waitingNanos = new long[2];
    /** This filter's window on each direction's body (HAProxy keeps one per filter). */
    private final MessageWindow requestWindow = new MessageWindow();
    private final MessageWindow responseWindow = new MessageWindow();

    LuaFilterInstance(String name, LuaState state, int defined, Transaction txn, EventLoop loop, long timeoutNanos,
                      FunctionAccount account) {
        this.name = name;
        this.state = state;
        this.defined = defined;
        this.txn = txn;
        this.loop = loop;
        this.timeoutNanos = timeoutNanos;
        this.account = account;
    }

    /** The table {@code new()} returned: this instance on the Lua side. */
    void bind(LuaTable table) {
        instance = table;
    }

    @Override
    public FilterResult startAnalyze(Transaction txn, boolean response) {
        return call(START_ANALYZE, response, null, null);
    }

    @Override
    public FilterResult httpHeaders(Transaction txn, HttpMessage message) {
        FilterResult result = call(HTTP_HEADERS, message.isResponse(), message(message, FilterMessage.Stage.HEADERS), null);
        window(message.isResponse()).headers(message.head(), message.isResponse());
        return result;
    }

    @Override
    public boolean wantsPayload(boolean response) {
        return response ? responseData : requestData;
    }

    @Override
    public FilterResult httpPayload(Transaction txn, HttpMessage message) {
        // HAProxy reads a byte count from http_payload; luagate passes every part whole (README):
        // only a failure counts.
        MessageWindow window = window(message.isResponse());
        window.part();
        FilterResult result = call(HTTP_PAYLOAD, message.isResponse(), message(message, FilterMessage.Stage.PAYLOAD), null);
        window.settle(message.input());
        return result == FilterResult.ERROR ? FilterResult.ERROR : FilterResult.CONTINUE;
    }

    @Override
    public FilterResult tcpPayload(Transaction txn, ChannelBuffer data) {
        // As http_payload: every byte passes; only a failure counts.
        return call(TCP_PAYLOAD, data.isResponse(), null, data) == FilterResult.ERROR
                ? FilterResult.ERROR : FilterResult.CONTINUE;
    }

    @Override
    public FilterResult httpEnd(Transaction txn, HttpMessage message) {
        return call(HTTP_END, message.isResponse(), message(message, FilterMessage.Stage.END), null);
    }

    @Override
    public FilterResult endAnalyze(Transaction txn, boolean response) {
        return call(END_ANALYZE, response, null, null);
    }

    @Override
    public Transaction request() {
        return txn;
    }

    @Override
    public long wakeDelayMillis() {
        return wakeMillis;
    }

    @Override
    public void dataFilter(boolean response, boolean on) {
        if (response) {
            responseData = on;
        } else {
            requestData = on;
        }
    }

    @Override
    public void wakeTime(long millis) {
        wakeMillis = Math.max(1, millis);
    }

    /** Which callbacks {@code filterClass} defines, as a bit set over {@code CALLBACKS} (configuration time). */
    static int callbacks(LuaTable filterClass) {
        int bits = 0;
        for (int i = 0; i < CALLBACKS.length; i++) {
            if (filterClass.get(CALLBACKS[i]).isfunction()) {
                bits |= 1 << i;
            }
        }
        return bits;
    }

    private boolean defines(LuaValue callback) {
        for (int i = 0; i < CALLBACKS.length; i++) {
            if (CALLBACKS[i] == callback) {
                return (defined & 1 << i) != 0;
            }
        }
        return false;
    }

    private MessageWindow window(boolean response) {
        return response ? responseWindow : requestWindow;
    }

    private FilterMessage message(HttpMessage message, FilterMessage.Stage stage) {
        boolean response = message.isResponse();
        return new FilterMessage(message.head(), response, message, stage, window(response), txn);
    }

    /** {@code passing}: the bytes a TCP filter sees, its {@code chn} argument in {@code tcp_payload}. */
    private FilterResult call(LuaValue callback, boolean response, FilterMessage message, ChannelBuffer passing) {
        if (!defines(callback)) {
            return FilterResult.CONTINUE;
        }
        String what = "filter " + name + " " + callback.tojstring();
        int direction = response ? 1 : 0;
        long spent = waitingStep[direction] == callback ? waitingNanos[direction] : 0;
        waitingStep[direction] = null;
        LuaCall call = new LuaCall(state, what, false, timeoutNanos, loop).serving(txn).alreadyRan(spent).accountTo(account);
        if (timeoutNanos > 0 && spent >= timeoutNanos) {
            // The re-runs used the whole budget, each too short to meet a limit check itself.
            LuaEngine.logFailure(what, call.timedOutBeforeStart(
                    "execution timeout (lua.session-timeout, counted over the step's filter.WAIT re-runs)").error());
            return FilterResult.ERROR;
        }
        LuaApi api = (LuaApi) state.api();
        LuaTable txnObject = api.txn(TxnContext.onStream(state, txn, response, call));
        // The channel is the TXN's own txn.req / txn.res, as in HAProxy.
        LuaValue channel = txnObject.get(response ? RES : REQ);
        if (channel.isnil()) {
            channel = api.filters().channel(response);
        }
        LuaValue third;
        if (passing != null) {
            third = api.channel(passing, txn);
        } else if (message == null) {
            third = channel;
        } else {
            third = api.filters().message(message, channel);
            txnObject.rawset(response ? HTTP_RES : HTTP_REQ, third);
        }
        FilterApi.current(this);
        LuaCall.Outcome outcome;
        try {
            outcome = call.invoke(CALLBACK, LuaValue.varargsOf(new LuaValue[] {instance, callback, txnObject, third}));
        } finally {
            FilterApi.current(null);
        }
        if (outcome.failed()) {
            // HAProxy lets a timed-out callback go on; luagate fails the stream on any failure (README).
            LuaEngine.logFailure(what, outcome.error());
            return FilterResult.ERROR;
        }
        Varargs values = outcome.values();
        if (values.narg() == 0 || !values.arg1().isnumber()) {
            return FilterResult.CONTINUE;
        }
        int code = values.arg1().toint();
        if (code == 0) {
            waitingStep[direction] = callback;
            waitingNanos[direction] = call.ranNanos();
        }
        return code < 0 ? FilterResult.ERROR : code == 0 ? FilterResult.WAIT : FilterResult.CONTINUE;
    }

    /**
     * Looks the callback up on the instance (its class through the metatable, as HAProxy does) inside
     * the call: a callback the filter does not define is skipped.
     */
    private static final LuaValue CALLBACK = new org.luaj.vm2.lib.VarArgFunction() {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue self = args.arg1();
            LuaValue function = self.get(args.arg(2));
            if (!function.isfunction()) {
                return NONE;
            }
            return function.invoke(LuaValue.varargsOf(self, args.arg(3), args.arg(4)));
        }
    };
}
