package io.luagate.spi.vocabulary;

import io.luagate.spi.rule.Action;
import java.util.List;

/** Compiles a plugin's action keyword with the words that follow it in the rule (before any {@code if}/{@code unless}). */
@FunctionalInterface
public interface ActionFactory {

    /** @throws IllegalArgumentException with the reason, when the words are not acceptable */
    Action create(ActionPlace place, List<String> words);
}
