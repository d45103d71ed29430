package io.luagate.plugin.lua.engine;

import io.luagate.spi.sample.Converter;
import io.luagate.spi.sample.Fetch;
import io.luagate.spi.sample.SampleLibrary;
import java.util.List;
import java.util.Set;

/** A rule language without fetches or converters, for engine tests whose scripts use none. */
public final class NoSamples implements SampleLibrary {

    @Override
    public Fetch fetch(String keyword, List<String> args) {
        throw new IllegalArgumentException("unknown fetch " + keyword);
    }

    @Override
    public Converter converter(String keyword, List<String> args) {
        throw new IllegalArgumentException("unknown converter " + keyword);
    }

    @Override
    public Set<String> fetchKeywords() {
        return Set.of();
    }

    @Override
    public Set<String> converterKeywords() {
        return Set.of();
    }
}
