package io.luagate.spi.filter;

import java.util.List;

/** Compiles one {@code filter <name> [args]} line of a frontend or backend. */
@FunctionalInterface
public interface FilterFactory {

    /**
     * Called once per configuration line, while the configuration is read.
     *
     * @param args the words after the filter's name
     * @throws IllegalArgumentException with the reason, when the line is not acceptable
     */
    Filter create(List<String> args);
}
