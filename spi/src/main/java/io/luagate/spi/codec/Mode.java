package io.luagate.spi.codec;

import java.util.Objects;
import java.util.Set;

/**
 * A mode as the codec that serves it declares it: the name frontends and backends select with
 * {@code mode = <name>}, and its {@link ModeTrait traits}. The kernel learns every mode from the
 * loaded codecs; a configured mode that no loaded codec declares stops the start, naming the plugin
 * expected (the plugin id is the mode's name).
 *
 * @param name   the {@code mode} value, lower case, for example {@code "tcp"}
 * @param traits what the kernel adapts to; unmodifiable
 */
public record Mode(String name, Set<ModeTrait> traits) {

    public Mode {
        Objects.requireNonNull(name, "name");
        traits = Set.copyOf(traits);
    }

    /** A mode named {@code name} with {@code traits}. */
    public static Mode of(String name, ModeTrait... traits) {
        return new Mode(name, Set.of(traits));
    }

    /** Whether this mode has {@code trait}. */
    public boolean has(ModeTrait trait) {
        return traits.contains(trait);
    }
}
