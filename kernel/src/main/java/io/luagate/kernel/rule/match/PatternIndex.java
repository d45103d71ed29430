package io.luagate.kernel.rule.match;

/**
 * A compiled, immutable set of patterns that says WHICH pattern a sample matches, for maps: the
 * value of a map entry is the one of the pattern found. Thread-safe; built by
 * {@link Patterns#index}.
 *
 * <p>Which pattern wins when several match follows HAProxy (doc 7.3.1, {@code map}: "IP addresses
 * and strings are stored in trees, so the first of the finest match will be used. Other keys are
 * stored in lists, so the first matching occurrence will be used"):
 * <ul>
 *   <li>{@code str} (case-sensitive): the exact key; among duplicates the first in the file.</li>
 *   <li>{@code beg} (case-sensitive): the longest matching prefix; among duplicates the first.</li>
 *   <li>{@code ip}: the longest matching network, IPv4 networks before IPv6 ones for an IPv4
 *       sample and the reverse for an IPv6 one; networks with a non-contiguous dotted mask come
 *       last, in file order; among duplicates the first.</li>
 *   <li>every other method, and {@code str}/{@code beg} with {@code -i} (HAProxy cannot put those
 *       in a tree): the first matching pattern in file order.</li>
 * </ul>
 */
public interface PatternIndex {

    /** {@link #find} found no pattern matching the sample. */
    int NO_MATCH = -1;

    /** {@link #find} could not cast the sample to the type the match method works on. */
    int NO_SAMPLE = -2;

    /**
     * @param sample a sample, never {@code null}
     * @return the position (in the list the index was built from) of the winning pattern,
     *         {@link #NO_MATCH} or {@link #NO_SAMPLE}. For {@code found} and {@code bool}, which
     *         have no patterns, 0 means "matches".
     */
    int find(Object sample);
}
