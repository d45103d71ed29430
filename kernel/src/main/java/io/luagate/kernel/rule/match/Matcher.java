package io.luagate.kernel.rule.match;

/** A compiled set of patterns with its match method: does a sample match any pattern? */
@FunctionalInterface
public interface Matcher {

    /** @param sample a sample (never {@code null}: an absent sample never matches) */
    boolean matches(Object sample);
}
