package io.luagate.plugin.runtimeapi;

import java.util.Locale;

/** What a runtime API connection may do (HAProxy's {@code level}), lowest first. */
enum Level {
    /** Reads only. */
    USER,
    /** Reads, maps, ACLs. */
    OPERATOR,
    /** Everything: servers' state, weight and address, reload. */
    ADMIN;

    /** The name as written in the configuration and printed by {@code show cli level}. */
    String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level named {@code text}, or {@code null}. */
    static Level parse(String text) {
        for (Level level : values()) {
            if (level.text().equals(text)) {
                return level;
            }
        }
        return null;
    }
}
