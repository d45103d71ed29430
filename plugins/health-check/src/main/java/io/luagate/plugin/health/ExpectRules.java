package io.luagate.plugin.health;

import io.luagate.spi.health.CheckResult;
import io.luagate.spi.health.CheckStatus;
import io.luagate.spi.health.HttpCheckExpect;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A backend's {@code http-check expect} rules, compiled once: each must pass, in order, as in
 * HAProxy. A status rule that fails gives {@code L7STS} with the code and reason phrase; a body
 * rule {@code L7RSP} with HAProxy's "HTTP content check did not match"; with no rule, a 2xx or 3xx
 * status passes (HAProxy's default {@code expect status 200-399}).
 */
final class ExpectRules {

    /** One compiled rule: what it tests, and whether it reads the body. */
    private record Rule(Predicate<CheckResponse> test, boolean negated, boolean onBody) {
    }

    private final List<Rule> rules = new ArrayList<>();
    private final boolean needsBody;

    ExpectRules(List<HttpCheckExpect> expects) {
        for (HttpCheckExpect expect : expects) {
            rules.add(compile(expect));
        }
        if (rules.isEmpty()) {
            rules.add(new Rule(r -> r.status() >= 200 && r.status() < 400, false, false));
        }
        this.needsBody = rules.stream().anyMatch(Rule::onBody);
    }

    /** Whether a rule reads the body: then the check waits for it (its length, the close, or the buffer's end). */
    boolean needsBody() {
        return needsBody;
    }

    CheckResult evaluate(CheckResponse response, long durationMillis) {
        if (response.status() < 0) {
            // HAProxy 2.6 says no more than "Layer7 invalid response" (no info).
            return new CheckResult(CheckStatus.L7RSP, 0, "", durationMillis);
        }
        for (Rule rule : rules) {
            if (rule.test().test(response) == rule.negated()) {
                return rule.onBody()
                        ? new CheckResult(CheckStatus.L7RSP, 0, "HTTP content check did not match", durationMillis)
                        : new CheckResult(CheckStatus.L7STS, response.status(), response.reason(), durationMillis);
            }
        }
        return new CheckResult(CheckStatus.L7OK, response.status(), "", durationMillis);
    }

    private static Rule compile(HttpCheckExpect expect) {
        String pattern = expect.pattern();
        return switch (expect.kind()) {
            case STATUS -> new Rule(statusList(pattern), expect.negated(), false);
            case RSTATUS -> {
                Pattern regex = Pattern.compile(pattern);
                yield new Rule(r -> regex.matcher(Integer.toString(r.status())).find(), expect.negated(), false);
            }
            case STRING -> new Rule(r -> r.body().contains(pattern), expect.negated(), true);
            case RSTRING -> {
                Pattern regex = Pattern.compile(pattern);
                yield new Rule(r -> regex.matcher(r.body()).find(), expect.negated(), true);
            }
        };
    }

    /** {@code 200}, {@code 200-399}, {@code 200,301-302}: checked by the kernel when read. */
    private static Predicate<CheckResponse> statusList(String list) {
        String[] parts = list.split(",");
        int[] low = new int[parts.length];
        int[] high = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            int dash = parts[i].indexOf('-');
            low[i] = Integer.parseInt(dash < 0 ? parts[i] : parts[i].substring(0, dash));
            high[i] = dash < 0 ? low[i] : Integer.parseInt(parts[i].substring(dash + 1));
        }
        return r -> {
            for (int i = 0; i < low.length; i++) {
                if (r.status() >= low[i] && r.status() <= high[i]) {
                    return true;
                }
            }
            return false;
        };
    }
}
