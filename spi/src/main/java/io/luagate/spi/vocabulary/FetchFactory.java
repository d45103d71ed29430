package io.luagate.spi.vocabulary;

import io.luagate.spi.sample.Fetch;
import java.util.List;

/** Compiles a plugin's fetch keyword with the arguments written in the rule ({@code lua.name(a,b)}). */
@FunctionalInterface
public interface FetchFactory {

    /**
     * @param args the arguments as written, unquoted
     * @throws IllegalArgumentException with the reason, when the arguments are not acceptable
     */
    Fetch create(List<String> args);
}
