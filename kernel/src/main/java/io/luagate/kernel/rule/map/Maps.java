package io.luagate.kernel.rule.map;

import java.nio.file.Path;

/** The map and pattern files of a configuration, each loaded once. (Implementation in progress.) */
public final class Maps {

    private final Path home;

    public Maps(Path home) {
        this.home = home;
    }

    public Path home() {
        return home;
    }
}
