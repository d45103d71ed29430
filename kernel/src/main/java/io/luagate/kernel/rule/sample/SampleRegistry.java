package io.luagate.kernel.rule.sample;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Every fetch and converter keyword known, with its compiler. Filled at start (built-ins, then plugins), read-only after. */
public final class SampleRegistry {

    private final Map<String, FetchCompiler> fetches = new HashMap<>();
    private final Map<String, ConverterCompiler> converters = new HashMap<>();

    public SampleRegistry fetch(String keyword, FetchCompiler compiler) {
        if (fetches.putIfAbsent(keyword, compiler) != null) {
            throw new IllegalArgumentException("fetch '" + keyword + "' already exists");
        }
        return this;
    }

    public SampleRegistry converter(String keyword, ConverterCompiler compiler) {
        if (converters.putIfAbsent(keyword, compiler) != null) {
            throw new IllegalArgumentException("converter '" + keyword + "' already exists");
        }
        return this;
    }

    public FetchCompiler fetch(String keyword) {
        return fetches.get(keyword);
    }

    public ConverterCompiler converter(String keyword) {
        return converters.get(keyword);
    }

    public Set<String> fetchKeywords() {
        return new TreeSet<>(fetches.keySet());
    }

    public Set<String> converterKeywords() {
        return new TreeSet<>(converters.keySet());
    }
}
