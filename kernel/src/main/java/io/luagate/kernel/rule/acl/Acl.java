package io.luagate.kernel.rule.acl;

import io.luagate.kernel.rule.expr.SampleExpr;
import io.luagate.kernel.rule.match.MatchMethod;
import io.luagate.kernel.rule.match.Matcher;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Samples;

/**
 * One ACL test: an expression, a match method and its compiled patterns. An absent sample never
 * matches (so {@code !acl} is true for it), as in HAProxy.
 *
 * @param name the ACL's name, or its text for an anonymous one
 */
public record Acl(String name, SampleExpr expr, MatchMethod method, Matcher matcher) {

    public boolean test(Transaction txn) {
        Object sample = expr.eval(txn);
        if (sample == null) {
            return false;
        }
        return switch (method) {
            case FOUND -> true;
            // pat_match_nothing: the sample cast to sint (not to bool: an IPv4 address has one), not 0
            case BOOL -> Samples.hasLong(sample) && Samples.longValue(sample) != 0;
            default -> matcher.matches(sample);
        };
    }
}
