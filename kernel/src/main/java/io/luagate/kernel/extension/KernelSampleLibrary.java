package io.luagate.kernel.extension;

import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.sample.ArgMasks;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.ConverterCompiler;
import io.luagate.kernel.rule.sample.FetchCompiler;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.sample.ArgMask;
import io.luagate.spi.sample.Converter;
import io.luagate.spi.sample.Fetch;
import io.luagate.spi.sample.SampleLibrary;
import io.luagate.spi.sample.SampleType;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The rule language's fetches and converters, compiled by name for scripts. */
public final class KernelSampleLibrary implements SampleLibrary {

    private final RuleLanguage language;
    private final CompileContext context;

    /** @param backends the running backend of a name, once they exist ({@code nbsrv(name)}) */
    public KernelSampleLibrary(RuleLanguage language, Path home, Set<String> backendNames, Function<String, Backend> backends) {
        this.language = language;
        this.context = new CompileContext(home, language.maps(), language.registry(), backendNames, backends);
    }

    @Override
    public Fetch fetch(String keyword, List<String> args) {
        FetchCompiler compiler = language.registry().fetch(keyword);
        if (compiler == null) {
            throw new IllegalArgumentException("unknown fetch '" + keyword + "'");
        }
        try {
            return compiler.compile(new Args(keyword, args, 1), context);
        } catch (RuleSyntaxException e) {
            throw new IllegalArgumentException(keyword + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Converter converter(String keyword, List<String> args) {
        ConverterCompiler compiler = language.registry().converter(keyword);
        if (compiler == null) {
            throw new IllegalArgumentException("unknown converter '" + keyword + "'");
        }
        try {
            return compiler.compile(new Args(keyword, args, 1), context);
        } catch (RuleSyntaxException e) {
            throw new IllegalArgumentException(keyword + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ArgMask fetchArgs(String keyword) {
        return ArgMasks.fetch(keyword);
    }

    @Override
    public boolean fetchNeedsHttp(String keyword) {
        return ArgMasks.fetchNeedsHttp(keyword);
    }

    @Override
    public ArgMask converterArgs(String keyword) {
        return ArgMasks.converter(keyword);
    }

    @Override
    public SampleType converterInput(String keyword) {
        return ArgMasks.converterInput(keyword);
    }

    @Override
    public Set<String> fetchKeywords() {
        return language.registry().fetchKeywords();
    }

    @Override
    public Set<String> converterKeywords() {
        return language.registry().converterKeywords();
    }
}
