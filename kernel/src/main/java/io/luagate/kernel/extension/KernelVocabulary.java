package io.luagate.kernel.extension;

import io.luagate.kernel.rule.ConfigBytes;
import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.kernel.rule.Word;
import io.luagate.kernel.rule.action.Side;
import io.luagate.spi.filter.FilterFactory;
import io.luagate.spi.service.HttpService;
import io.luagate.spi.service.TcpService;
import io.luagate.spi.vocabulary.ActionFactory;
import io.luagate.spi.vocabulary.ActionPlace;
import io.luagate.spi.vocabulary.ConverterFactory;
import io.luagate.spi.vocabulary.FetchFactory;
import io.luagate.spi.vocabulary.Vocabulary;
import java.util.List;
import java.util.Set;

/**
 * Plugins' names, entered into the kernel's registries with the same compile-once contract as
 * built-ins. A name is entered as its UTF-8 bytes ({@link ConfigBytes}), the form in which a rule's
 * words name it.
 */
final class KernelVocabulary implements Vocabulary {

    private final RuleLanguage language;

    KernelVocabulary(RuleLanguage language) {
        this.language = language;
    }

    @Override
    public void fetch(String keyword, FetchFactory factory) {
        language.registry().fetch(ConfigBytes.of(keyword), (args, context) -> {
            try {
                return factory.create(args.all());
            } catch (IllegalArgumentException e) {
                throw args.error(e.getMessage());
            }
        });
    }

    @Override
    public void converter(String keyword, ConverterFactory factory) {
        language.registry().converter(ConfigBytes.of(keyword), (args, context) -> {
            try {
                return factory.create(args.all());
            } catch (IllegalArgumentException e) {
                throw args.error(e.getMessage());
            }
        });
    }

    @Override
    public void action(String keyword, Set<ActionPlace> places, ActionFactory factory) {
        for (ActionPlace place : places) {
            Side side = switch (place) {
                case HTTP_REQUEST -> Side.REQUEST;
                case HTTP_RESPONSE -> Side.RESPONSE;
                case TCP_REQUEST -> Side.TCP;
                case TCP_RESPONSE -> Side.TCP_RESPONSE;
            };
            language.actions().add(side, ConfigBytes.of(keyword), syntax -> {
                List<String> words = syntax.args().stream().map(Word::text).toList();
                try {
                    return factory.create(place, words);
                } catch (IllegalArgumentException e) {
                    throw syntax.error(e.getMessage());
                }
            });
        }
    }

    @Override
    public void httpService(String name, HttpService service) {
        language.actions().addHttpService(ConfigBytes.of(name), service);
    }

    @Override
    public void tcpService(String name, TcpService service) {
        language.actions().addTcpService(ConfigBytes.of(name), service);
    }

    @Override
    public void filter(String name, FilterFactory factory) {
        language.filters().add(ConfigBytes.of(name), factory);
    }
}
