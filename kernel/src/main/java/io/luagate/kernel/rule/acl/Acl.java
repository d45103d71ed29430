package io.luagate.kernel.rule.acl;

import io.luagate.kernel.rule.expr.SampleExpr;
import io.luagate.kernel.rule.match.MatchMethod;
import io.luagate.kernel.rule.match.Matcher;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Samples;

/**
 * One ACL test: an expression, a match method and its compiled patterns. An absent sample never
 * matches (so {@code !acl} is true for it), and a multi-valued fetch ({@code hdr(x)},
 * {@code cook(c)}...) matches if any of its values does, as in HAProxy.
 */
public final class Acl {

    private final String name;
    private final SampleExpr expr;
    private final MatchMethod method;
    private final Matcher matcher;
    /** Bound once: testing every value of a multi-valued fetch allocates nothing. */
    private final SampleExpr.SampleTest test = this::matchOne;

    /** @param name the ACL's name, or its text for an anonymous one */
    public Acl(String name, SampleExpr expr, MatchMethod method, Matcher matcher) {
        this.name = name;
        this.expr = expr;
        this.method = method;
        this.matcher = matcher;
    }

    public String name() {
        return name;
    }

    public boolean test(Transaction txn) {
        return expr.anyMatch(txn, test);
    }

    private boolean matchOne(Object sample) {
        return switch (method) {
            case FOUND -> true;
            // pat_match_nothing: the sample cast to sint (not to bool: an IPv4 address has one), not 0
            case BOOL -> Samples.hasLong(sample) && Samples.longValue(sample) != 0;
            default -> matcher.matches(sample);
        };
    }
}
