package io.luagate.kernel.importer;

import java.nio.file.Path;

/**
 * Where HAProxy 2.6 opens a relative file name: its current directory, unless a {@code default-path}
 * line before it says otherwise ({@code current | config | parent | origin <path>}). luagate resolves
 * relative names against its own home instead, so every name is made absolute here.
 */
final class PathResolver {

    private final Path initial;
    private final Path configDir;
    private Path base;

    PathResolver(Path baseDir, Path configFile) {
        this.initial = baseDir.toAbsolutePath().normalize();
        Path parent = configFile.toAbsolutePath().normalize().getParent();
        this.configDir = parent == null ? initial : parent;
        this.base = initial;
    }

    /** Applies {@code default-path <how> [path]}; returns an error message, or null. */
    String defaultPath(String how, String path) {
        switch (how == null ? "" : how) {
            case "current" -> base = initial;
            case "config" -> base = configDir;
            case "parent" -> base = configDir.getParent() == null ? configDir : configDir.getParent();
            case "origin" -> {
                if (path == null) {
                    return "'origin' needs a path";
                }
                base = initial.resolve(path).normalize();
                return null;
            }
            default -> {
                return "expects 'current', 'config', 'parent' or 'origin <path>'";
            }
        }
        return path == null ? null : "'" + how + "' takes no argument";
    }

    String resolve(String file) {
        return base.resolve(file).normalize().toString();
    }

    /** The absolute name written so that HAProxy's (and luagate's rule parser's) word syntax reads it back. */
    String resolveWord(String file) {
        return quoteWord(resolve(file));
    }

    static String quoteWord(String text) {
        if (text.matches("[A-Za-z0-9_./+,:@%=~-]+")) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
