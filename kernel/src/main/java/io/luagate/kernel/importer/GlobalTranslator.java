package io.luagate.kernel.importer;

import java.util.Map;

/**
 * The {@code global} section: threads, maxconn, buffer size, HTTP/2 limits, the Lua scripts and their limits.
 * Process-management keywords that change nothing luagate does are left out with a comment.
 */
final class GlobalTranslator {

    /** Keywords that only concern how HAProxy runs as a process or logs: nothing observable changes. */
    private static final Map<String, String> HARMLESS = Map.ofEntries(
            Map.entry("daemon", "luagate runs in the foreground; use your service manager"),
            Map.entry("master-worker", "luagate is one process"),
            Map.entry("log", "luagate writes its access log to log.target"),
            Map.entry("log-tag", "luagate writes its access log to log.target"),
            Map.entry("log-send-hostname", "luagate writes its access log to log.target"),
            Map.entry("user", "luagate runs as the user that starts it"),
            Map.entry("group", "luagate runs as the group that starts it"),
            Map.entry("uid", "luagate runs as the user that starts it"),
            Map.entry("gid", "luagate runs as the group that starts it"),
            Map.entry("chroot", "the JVM cannot chroot; confine it with your service manager"),
            Map.entry("pidfile", "your service manager tracks luagate's process"),
            Map.entry("stats", "luagate has no stats socket; its metrics are elsewhere"));

    private final HoconObject global;
    private final HoconObject lua;
    private final PathResolver paths;
    private final Notes notes;

    GlobalTranslator(HoconObject root, PathResolver paths, Notes notes) {
        this.global = root.object("global");
        this.lua = root.object("lua");
        this.paths = paths;
        this.notes = notes;
    }

    void apply(ConfigLine line) {
        String key = line.keyword();
        String c = line.where();
        switch (key) {
            case "nbthread" -> integer(line, global, "threads", 1, 1024);
            case "cpu-map" -> {
                if (line.size() < 3) {
                    notes.unsupported(line, key, "expects [auto:]<process-set>[/<thread-set>] <cpu-set>...", global);
                } else {
                    StringBuilder args = new StringBuilder(line.word(1));
                    for (int i = 2; i < line.size(); i++) {
                        args.append(' ').append(line.word(i));
                    }
                    global.list("cpu-map").add(args.toString(), c);
                }
            }
            case "maxconn" -> integer(line, global, "maxconn", 1, 10_000_000);
            case "tune.bufsize" -> size(line, global.object("tune"), "bufsize", 1);
            case "tune.http.maxhdr" -> integer(line, global.object("tune").object("http"), "maxhdr", 1, 32767);
            // HAProxy 2.6's four HTTP/2 keys, with its bounds; the http plugin reads them.
            case "tune.h2.header-table-size" -> integer(line, h2(), "header-table-size", 4096, 65_536);
            case "tune.h2.initial-window-size" -> integer(line, h2(), "initial-window-size", 0, Integer.MAX_VALUE);
            case "tune.h2.max-concurrent-streams" -> integer(line, h2(), "max-concurrent-streams", 0, Integer.MAX_VALUE);
            case "tune.h2.max-frame-size" -> integer(line, h2(), "max-frame-size", 16_384, 16_777_215);
            case "tune.lua.forced-yield" -> integer(line, lua, "forced-yield", 1, 100_000_000);
            case "tune.lua.session-timeout", "tune.lua.service-timeout", "tune.lua.task-timeout" -> {
                String value = line.size() == 2 ? Units.duration(line.word(1)) : null;
                if (value == null) {
                    notes.unsupported(line, key, "expects one duration", global);
                } else {
                    lua.set(key.substring("tune.lua.".length()), value, c);
                }
            }
            case "tune.lua.maxmem" -> {
                // HAProxy reads a plain number of megabytes; luagate's key is in bytes.
                if (line.size() == 2 && line.word(1).matches("\\d{1,9}")) {
                    lua.set("maxmem", new HoconObject.Literal(Long.toString(Long.parseLong(line.word(1)) << 20)), c);
                } else {
                    notes.unsupported(line, key, "expects a number of megabytes", global);
                }
            }
            case "lua-load", "lua-load-per-thread" -> {
                if (line.size() != 2) {
                    notes.unsupported(line, key, line.size() < 2 ? "no file" : "luagate passes no arguments to a script", global);
                } else {
                    lua.list(key.equals("lua-load") ? "load" : "load-per-thread").add(paths.resolve(line.word(1)), c);
                }
            }
            case "lua-prepend-path" -> {
                String type = line.size() == 3 ? line.word(2) : "path";
                if (line.size() < 2 || line.size() > 3 || !type.equals("path")) {
                    notes.unsupported(line, key + (type.equals("cpath") ? " cpath" : ""),
                            type.equals("cpath") ? "luagate loads no C modules" : "expects <path> [path]", global);
                } else {
                    lua.list("prepend-path").add(paths.resolve(line.word(1)), c);
                }
            }
            case "default-path" -> {
                String error = line.size() > 3 ? "too many arguments" : paths.defaultPath(line.word(1), line.word(2));
                if (error != null) {
                    notes.unsupported(line, key, error, global);
                } else {
                    global.comment(line.where() + ": relative paths after this line resolve as '" + line.rawFrom(1) + "' says");
                }
            }
            default -> {
                String reason = HARMLESS.get(key);
                if (reason != null && !(key.equals("stats") && !"socket".equals(line.word(1)) && !"timeout".equals(line.word(1)))) {
                    Notes.ignored(line, reason, global);
                } else {
                    notes.unsupported(line, key, null, global);
                }
            }
        }
    }

    private HoconObject h2() {
        return global.object("tune").object("h2");
    }

    private void integer(ConfigLine line, HoconObject target, String key, long min, long max) {
        long value = -1;
        if (line.size() == 2 && line.word(1).matches("\\d{1,12}")) {
            value = Long.parseLong(line.word(1));
        }
        if (value < min || value > max) {
            notes.unsupported(line, line.keyword(), "expects a number in [" + min + ", " + max + "]", global);
        } else {
            target.set(key, new HoconObject.Literal(Long.toString(value)), line.where());
        }
    }

    private void size(ConfigLine line, HoconObject target, String key, long unit) {
        long value = line.size() == 2 ? Units.size(line.word(1)) : -1;
        if (value < 0) {
            notes.unsupported(line, line.keyword(), "expects a size", global);
        } else {
            target.set(key, new HoconObject.Literal(Long.toString(value * unit)), line.where());
        }
    }
}
