package io.luagate.kernel.cli;

import java.nio.file.Path;

/** The distribution's home: {@code -Dluagate.home} (set by bin/luagate), else the working directory. */
final class Home {

    private Home() {
    }

    static Path dir() {
        String home = System.getProperty("luagate.home");
        return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
    }

    /** The configuration file: the one given, else {@code conf/luagate.conf} of the home. */
    static Path config(Path given) {
        return given != null ? given.toAbsolutePath().normalize() : dir().resolve("conf").resolve("luagate.conf");
    }
}
