package io.luagate.plugin.health;

import io.luagate.spi.health.CheckResult;
import io.luagate.spi.health.ObservedOutcome;
import io.luagate.spi.health.Observe;
import io.luagate.spi.health.ServerCheckSettings;
import io.luagate.spi.health.ServerCheckState;
import io.luagate.spi.health.ServerObserver;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.spi.proxy.ServerHealth;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one checker of one server for the whole process. Its checks and their results run on one
 * event loop (its own among the loops, so checkers spread over them), one check at a time, each
 * scheduled after the previous one ended ({@code inter}, {@code fastinter} or {@code downinter}
 * by the counter, as HAProxy's {@code srv_getinter}); the state it computes is published to the
 * server, read by every balancer at its next pick. The outcomes of the server's streams
 * ({@code observe}) arrive from every loop and only count there; reaching {@code error-limit}
 * hands the {@code on-error} action to the checker's loop.
 */
final class ServerChecker implements ServerObserver {

    private final Backend backend;
    private final Server server;
    private final ServerCheckSettings settings;
    private final EventLoop loop;
    private final Class<? extends Channel> channelClass;
    private final HttpCheckRequest request;
    private final ExpectRules rules;
    private final int spreadPercent;
    /** Consecutive observed errors, from every loop (HAProxy's consecutive_errors). */
    private final AtomicInteger consecutiveErrors = new AtomicInteger();
    /** Loop-confined from here on. */
    private ScheduledFuture<?> next;
    private long nextAtNanos;
    private boolean running;
    private volatile boolean stopped;

    ServerChecker(Backend backend, Server server, EventLoop loop, Class<? extends Channel> channelClass, int spreadPercent) {
        this.backend = backend;
        this.server = server;
        this.settings = server.checkSettings();
        this.loop = loop;
        this.channelClass = channelClass;
        this.spreadPercent = spreadPercent;
        this.request = settings.http() == null ? null : new HttpCheckRequest(settings.http());
        this.rules = settings.http() == null ? null : new ExpectRules(settings.http().expects());
    }

    /** Starts: the first check after {@code firstDelayMillis} (the start's spread), and the observer. */
    void start(long firstDelayMillis) {
        if (settings.observe() != Observe.NONE) {
            server.observeWith(this);
        }
        if (settings.check()) {
            loop.execute(() -> schedule(firstDelayMillis, false));
        }
    }

    Server server() {
        return server;
    }

    void stop() {
        stopped = true;
        if (loop.isShuttingDown()) {
            // The loop's end cancels what it had scheduled.
            return;
        }
        try {
            loop.execute(() -> {
                if (next != null) {
                    next.cancel(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The loop stopped meanwhile: nothing of ours runs there any more.
        }
    }

    /** Schedules the next check in {@code delayMillis}; with {@code sooner}, only when that is earlier than the one planned. */
    private void schedule(long delayMillis, boolean sooner) {
        if (stopped) {
            return;
        }
        long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        if (next != null && !next.isDone()) {
            if (sooner && at - nextAtNanos >= 0) {
                return;
            }
            next.cancel(false);
        }
        nextAtNanos = at;
        next = loop.schedule(this::check, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (stopped || running) {
            return;
        }
        if (server.admin() == ServerAdmin.MAINT) {
            // HAProxy pauses the checks of a server in maintenance and checks at once when it leaves:
            // the admin state is only read here, so it is read often (a volatile read, no check).
            schedule(Math.min(100, settings.interMillis()), false);
            return;
        }
        running = true;
        server.reportCheck(server.checkState().inProgress(true), server.health());
        CheckProbe.run(loop, channelClass, target(), settings, request, rules, this::checked);
    }

    private InetSocketAddress target() {
        InetSocketAddress address = server.address();
        return new InetSocketAddress(settings.address() != null ? settings.address() : address.getAddress(),
                settings.port() != 0 ? settings.port() : address.getPort());
    }

    /** A check ended: the counter moves, the server takes the state, the next check is planned. */
    private void checked(CheckResult result) {
        running = false;
        if (stopped) {
            return;
        }
        if (result.status().passed()) {
            consecutiveErrors.set(0);
        }
        publish(HealthCounter.apply(server.checkState(), result), result);
        schedule(interval(server.checkState()), false);
    }

    private void publish(ServerCheckState state, CheckResult result) {
        ServerHealth health = HealthCounter.healthAfter(server.health(), state);
        ServerHealth before = server.reportCheck(state, health);
        if (before != null) {
            TransitionLog.transition(backend, server, before, result);
        }
    }

    /** HAProxy's srv_getinter with its spread-checks: inter at the top, downinter at 0, fastinter between. */
    private long interval(ServerCheckState state) {
        long base = state.full() ? settings.interMillis()
                : state.health() == 0 && server.health() == ServerHealth.DOWN ? settings.downInterMillis()
                : settings.fastInterMillis();
        if (spreadPercent == 0) {
            return base;
        }
        long spread = base * spreadPercent / 100;
        return Math.max(1, base + spread - (long) (2 * spread * ThreadLocalRandom.current().nextDouble()));
    }

    @Override
    public void observed(ObservedOutcome outcome) {
        if (settings.observe() == Observe.LAYER4 ? outcome.layer7() : outcome == ObservedOutcome.L4_OK) {
            return;
        }
        if (outcome.ok()) {
            if (consecutiveErrors.get() != 0) {
                consecutiveErrors.set(0);
            }
            return;
        }
        int errors = consecutiveErrors.incrementAndGet();
        if (errors < settings.errorLimit()) {
            return;
        }
        consecutiveErrors.set(0);
        try {
            loop.execute(() -> onErrors(errors, outcome));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down: no check will run again anyway.
        }
    }

    /** HAProxy's {@code __health_adjust}: {@code on-error}, then the next check at {@code fastinter} at the latest. */
    private void onErrors(int errors, ObservedOutcome last) {
        if (stopped || server.admin() == ServerAdmin.MAINT) {
            return;
        }
        ServerCheckState state = server.checkState();
        CheckResult result = HealthCounter.observedFailure(errors, last.description());
        switch (settings.onError()) {
            case FASTINTER -> {
                // All modes check sooner; this one does nothing else.
            }
            case FAIL_CHECK -> publish(HealthCounter.apply(state, result), result);
            case SUDDEN_DEATH -> publish(HealthCounter.apply(HealthCounter.suddenDeath(state), result), result);
            case MARK_DOWN -> publish(HealthCounter.apply(HealthCounter.markDown(state), result), result);
        }
        schedule(settings.fastInterMillis(), true);
    }
}
