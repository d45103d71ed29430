package io.luagate.plugin.lua.api;

import org.luaj.vm2.LuaError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code core.log} and {@code txn:log}: HAProxy's syslog levels onto the {@code io.luagate.lua} logger. */
final class Logging {

    static final int WARNING = 4;
    static final int INFO = 6;
    static final String[] LEVELS = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};
    private static final Logger LOG = LoggerFactory.getLogger("io.luagate.lua");

    private Logging() {
    }

    static void log(int level, String message) {
        if (level < 0 || level > 7) {
            throw new LuaError("bad argument #1 to 'log' (invalid loglevel)");
        }
        switch (level) {
            case 0, 1, 2, 3 -> LOG.error("[{}] {}", LEVELS[level], message);
            case 4 -> LOG.warn(message);
            case 5, 6 -> LOG.info(message);
            default -> LOG.debug(message);
        }
    }
}
