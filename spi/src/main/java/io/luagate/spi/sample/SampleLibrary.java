package io.luagate.spi.sample;

import java.util.List;
import java.util.Set;

/**
 * Every fetch and converter the rule language knows, compiled by name at run time: what a script
 * reaches through HAProxy's {@code txn.f:<fetch>(...)} and {@code txn.c:<converter>(...)}. Callers
 * should cache what they compile; compiling parses the arguments.
 */
public interface SampleLibrary {

    /** @throws IllegalArgumentException naming the problem, for an unknown keyword or bad arguments */
    Fetch fetch(String keyword, List<String> args);

    /** @throws IllegalArgumentException naming the problem, for an unknown keyword or bad arguments */
    Converter converter(String keyword, List<String> args);

    Set<String> fetchKeywords();

    /** The arguments fetch {@code keyword} declares, or {@code null} when it declares none to check against. */
    default ArgMask fetchArgs(String keyword) {
        return null;
    }

    /**
     * Whether fetch {@code keyword} reads the HTTP message (HAProxy's {@code SMP_USE_HTTP_ANY}):
     * a Lua service cannot call it, as HAProxy's applets have no HTTP parser behind them.
     */
    default boolean fetchNeedsHttp(String keyword) {
        return false;
    }

    /** The arguments converter {@code keyword} declares, or {@code null} when it declares none to check against. */
    default ArgMask converterArgs(String keyword) {
        return null;
    }

    /**
     * The input type converter {@code keyword} declares (HAProxy's {@code in_type}): a caller that
     * holds a typed value (Lua) casts it to this type first, and a cast that fails is its error.
     * {@link SampleType#ANY} when nothing is declared.
     */
    default SampleType converterInput(String keyword) {
        return SampleType.ANY;
    }

    Set<String> converterKeywords();
}
