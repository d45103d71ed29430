package io.luagate.spi.vocabulary;

import io.luagate.spi.sample.Converter;
import java.util.List;

/** Compiles a plugin's converter keyword with the arguments written in the rule. */
@FunctionalInterface
public interface ConverterFactory {

    /** @throws IllegalArgumentException with the reason, when the arguments are not acceptable */
    Converter create(List<String> args);
}
