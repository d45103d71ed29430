package io.luagate.kernel.rule.engine;

import io.luagate.spi.filter.Filter;
import io.luagate.spi.filter.FilterInstance;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ProxySide;
import io.luagate.spi.rule.RuleEngine;
import io.luagate.spi.rule.RuleList;
import io.luagate.spi.rule.RulePolicy;
import io.luagate.spi.rule.RuleRun;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link RuleEngine} of one stream, over the lists and filters its {@link RuleSource} holds. */
public final class StreamRules implements RuleEngine {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRules.class);

    private final RuleSource source;
    private final EventExecutor loop;

    /** @param loop the stream's event loop: resumes and suspension deadlines run there */
    public StreamRules(RuleSource source, EventExecutor loop) {
        this.source = source;
        this.loop = loop;
    }

    @Override
    public boolean isEmpty(RuleList list) {
        return source.rules(list).isEmpty();
    }

    @Override
    public RuleRun newRun(Transaction txn, RulePolicy policy, RuleRun.Owner owner) {
        return new RuleEvaluation(source, txn, loop, policy, owner);
    }

    @Override
    public boolean runToEnd(RuleList list, Transaction txn) {
        List<Action> rules = source.rules(list);
        for (int i = 0, n = rules.size(); i < n; i++) {
            Verdict verdict;
            try {
                verdict = rules.get(i).execute(txn);
            } catch (RuntimeException e) {
                // A rewrite the response cannot take: HAProxy fails the response (strict-mode is on by default).
                ActionFailures.report(e);
                return false;
            }
            switch (verdict) {
                case CONTINUE, WAIT -> {
                    // WAIT only comes from data that may still grow: "not matched" here, as in the other HTTP lists.
                }
                case ALLOW, STOP -> {
                    return true;
                }
                case PENDING -> {
                    // Nothing in this list may suspend: an action that tried is a failed one.
                    ActionFailures.report(new IllegalStateException("an action of " + list + " cannot wait"));
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public boolean hasFilters(ProxySide side) {
        return !source.filters(side).isEmpty();
    }

    @Override
    public void attachFilters(ProxySide side, Transaction txn, List<FilterInstance> into) {
        for (Filter filter : source.filters(side)) {
            try {
                FilterInstance instance = filter.attach(txn);
                if (instance != null) {
                    into.add(instance);
                }
            } catch (RuntimeException e) {
                // A filter that cannot set up leaves this stream alone; the others go on.
                LOG.warn("a filter failed to attach and is skipped for this stream", e);
            }
        }
    }
}
