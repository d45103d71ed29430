package io.luagate.kernel.rule.engine;

import io.luagate.spi.filter.Filter;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.ProxySide;
import io.luagate.spi.rule.RuleList;
import io.luagate.spi.rule.RuleRun;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.stream.Stream;
import io.netty.channel.DefaultEventLoop;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * What the engine's tests run it on: a real event loop, lists the test fills, and a transaction
 * that forwards {@link Transaction#suspend()} and the may-change marks to its run, as the codecs
 * do. The listener records every conclusion.
 */
final class EngineFixture implements AutoCloseable, RuleSource, RuleRun.Owner {

    final DefaultEventLoop loop = new DefaultEventLoop();
    final Map<RuleList, List<Action>> lists = new EnumMap<>(RuleList.class);
    final Map<ProxySide, List<Filter>> filters = new EnumMap<>(ProxySide.class);
    final StreamRules engine = new StreamRules(this, loop);
    /** Every conclusion, in order, as "LIST VERDICT". */
    final List<String> concluded = new ArrayList<>();
    /** The names of the actions called, in order. */
    final List<String> called = new ArrayList<>();
    final RunTransaction txn = new RunTransaction();
    boolean halted;
    boolean alive = true;
    int timeouts;
    RuleRun run;

    /** A new run with {@code policy}, which the transaction forwards to. */
    RuleRun start(io.luagate.spi.rule.RulePolicy policy) {
        run = engine.newRun(txn, policy, this);
        return run;
    }

    /** Adds an action to {@code list} that records {@code name} and returns {@code verdict}. */
    void add(RuleList list, String name, Verdict verdict) {
        add(list, name, txn -> verdict);
    }

    void add(RuleList list, String name, Action action) {
        lists.computeIfAbsent(list, l -> new ArrayList<>()).add(t -> {
            called.add(name);
            return action.execute(t);
        });
    }

    /** Runs {@code task} on the loop and returns its result. */
    <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    void onLoop(Runnable task) throws Exception {
        loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    @Override
    public List<Action> rules(RuleList list) {
        return lists.getOrDefault(list, List.of());
    }

    @Override
    public List<Filter> filters(ProxySide side) {
        return filters.getOrDefault(side, List.of());
    }

    @Override
    public void concluded(RuleList list, Verdict verdict) {
        concluded.add(list + " " + verdict);
    }

    @Override
    public boolean halted() {
        return halted;
    }

    @Override
    public boolean alive() {
        return alive;
    }

    @Override
    public void suspensionTimedOut() {
        timeouts++;
    }

    @Override
    public void close() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The codec's part of a transaction, as far as the rules need it. */
    final class RunTransaction implements Transaction {

        @Override
        public Suspension suspend() {
            return run.suspend();
        }

        @Override
        public void markMayChange() {
            run.markMayChange();
        }

        @Override
        public int mayChangeMarks() {
            return run.mayChangeMarks();
        }

        @Override
        public Stream stream() {
            throw new UnsupportedOperationException("the engine's tests have no stream");
        }

        @Override
        public void reply(HttpReply reply) {
            throw new UnsupportedOperationException("the engine's tests do not answer");
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
    }
}
