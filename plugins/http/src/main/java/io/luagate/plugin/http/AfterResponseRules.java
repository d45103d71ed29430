package io.luagate.plugin.http;

import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import java.util.List;

/**
 * Runs the {@code http-after-response} rules on a response about to leave: the backend's, then the
 * frontend's (HAProxy's {@code http_eval_after_res_rules}). HAProxy 2.6 allows no action there
 * that answers or waits, so the lists run inline, to their end; {@code allow} ends its own list.
 */
final class AfterResponseRules {

    private AfterResponseRules() {
    }

    /**
     * @param backend the stream's backend, or {@code null} before one was chosen (only the
     *                frontend's rules run then, as in HAProxy where the backend is the frontend)
     * @return {@code false} when an action failed: the caller answers 500 instead
     */
    static boolean run(Transaction txn, Backend backend, Frontend frontend) {
        if (backend != null && !run(txn, backend.httpAfterResponseRules())) {
            return false;
        }
        return run(txn, frontend.httpAfterResponseRules());
    }

    private static boolean run(Transaction txn, List<Action> rules) {
        for (int i = 0, n = rules.size(); i < n; i++) {
            Verdict verdict;
            try {
                verdict = rules.get(i).execute(txn);
            } catch (RuntimeException e) {
                // A rewrite the response cannot take: HAProxy fails the response (strict-mode is on by default).
                RuleFailures.report(e);
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
                    RuleFailures.report(new IllegalStateException("an http-after-response action cannot wait"));
                    return false;
                }
            }
        }
        return true;
    }
}
