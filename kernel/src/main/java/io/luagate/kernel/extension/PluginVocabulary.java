package io.luagate.kernel.extension;

import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.plugin.ProvidedKind;
import io.luagate.kernel.plugin.ProvidedNames;
import io.luagate.spi.filter.FilterFactory;
import io.luagate.spi.service.HttpService;
import io.luagate.spi.service.TcpService;
import io.luagate.spi.vocabulary.ActionFactory;
import io.luagate.spi.vocabulary.ActionPlace;
import io.luagate.spi.vocabulary.ConverterFactory;
import io.luagate.spi.vocabulary.FetchFactory;
import io.luagate.spi.vocabulary.Vocabulary;
import java.util.Set;

/**
 * One plugin's way into the rule language: each name it adds is recorded as that plugin's, and a
 * name another plugin (or the kernel) already provides is a problem naming both, not an override.
 */
final class PluginVocabulary implements Vocabulary {

    private final Vocabulary kernel;
    private final ProvidedNames names;
    private final String plugin;
    private final String where;
    private final Problems problems;

    /** @param where the plugin's jar, where its problems point */
    PluginVocabulary(Vocabulary kernel, ProvidedNames names, String plugin, String where, Problems problems) {
        this.kernel = kernel;
        this.names = names;
        this.plugin = plugin;
        this.where = where;
        this.problems = problems;
    }

    private boolean claim(ProvidedKind kind, String name) {
        String duplicate = names.claim(kind, name, plugin);
        if (duplicate != null) {
            problems.add(new ConfigProblem(where, "", duplicate));
        }
        return duplicate == null;
    }

    @Override
    public void fetch(String keyword, FetchFactory factory) {
        if (claim(ProvidedKind.FETCH, keyword)) {
            kernel.fetch(keyword, factory);
        }
    }

    @Override
    public void converter(String keyword, ConverterFactory factory) {
        if (claim(ProvidedKind.CONVERTER, keyword)) {
            kernel.converter(keyword, factory);
        }
    }

    @Override
    public void action(String keyword, Set<ActionPlace> places, ActionFactory factory) {
        if (claim(ProvidedKind.ACTION, keyword)) {
            kernel.action(keyword, places, factory);
        }
    }

    @Override
    public void httpService(String name, HttpService service) {
        if (claim(ProvidedKind.SERVICE, name)) {
            kernel.httpService(name, service);
        }
    }

    @Override
    public void tcpService(String name, TcpService service) {
        if (claim(ProvidedKind.SERVICE, name)) {
            kernel.tcpService(name, service);
        }
    }

    @Override
    public void filter(String name, FilterFactory factory) {
        if (claim(ProvidedKind.FILTER, name)) {
            kernel.filter(name, factory);
        }
    }
}
