package io.luagate.kernel.importer;

import io.luagate.kernel.config.NameCharacters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Translates an HAProxy 2.6 configuration into luagate's HOCON. Each {@code frontend},
 * {@code backend} and {@code listen} section takes the lines of its {@code defaults} section
 * (the last one before it, or the one named by {@code from}) inlined, so that every luagate
 * proxy says all it does without luagate's own {@code defaults} block.
 */
public final class HaproxyImporter {

    private static final Set<String> OTHER_SECTIONS = Set.of("peers", "resolvers", "http-errors",
            "ring", "cache", "program", "mailers");

    private enum Kind { NONE, GLOBAL, DEFAULTS, PROXY, USERLIST, SKIPPED }

    private final String file;
    private final LineTokenizer tokenizer;
    private final PathResolver paths;
    private final Notes notes = new Notes();
    private final HoconObject root = new HoconObject();
    private final HoconObject frontends;
    private final HoconObject backends;
    private final GlobalTranslator global;
    private final Map<String, List<ConfigLine>> namedDefaults = new HashMap<>();
    private List<ConfigLine> lastDefaults = List.of();

    private Kind kind = Kind.NONE;
    private List<ConfigLine> defaults;
    private ProxyTranslator translator;
    private UserlistTranslator userlist;
    private ProxyFinisher finisher;

    private HaproxyImporter(Path cfg, Path baseDir, UnaryOperator<String> env) {
        // Notes name the file as "haproxy.cfg:12", short enough to read next to each item.
        this.file = cfg.getFileName().toString();
        this.tokenizer = new LineTokenizer(env);
        this.paths = new PathResolver(baseDir, cfg);
        root.comment("luagate configuration translated from " + cfg + " by luagate import-haproxy.");
        root.comment("Each item names the line it comes from; defaults sections are inlined into each proxy.");
        this.global = new GlobalTranslator(root, paths, notes);
        // Written after the global part and the notes about defaults and other sections.
        this.frontends = new HoconObject();
        this.backends = new HoconObject();
    }

    /** Translates haproxyCfg; relative paths resolve from baseDir (HAProxy's current directory, unless the file sets default-path). */
    public static ImportResult translate(Path haproxyCfg, Path baseDir) throws IOException {
        return translate(haproxyCfg, baseDir, System::getenv);
    }

    static ImportResult translate(Path haproxyCfg, Path baseDir, UnaryOperator<String> env) throws IOException {
        return new HaproxyImporter(haproxyCfg, baseDir, env).run(Files.readAllLines(haproxyCfg, StandardCharsets.UTF_8));
    }

    private ImportResult run(List<String> text) {
        for (int i = 0; i < text.size(); i++) {
            ConfigLine line;
            try {
                line = tokenizer.split(file, i + 1, text.get(i));
            } catch (ConfigSyntaxException e) {
                notes.unsupported(new ConfigLine(file, i + 1, text.get(i), List.of(), List.of()), "syntax", e.getMessage(), root);
                continue;
            }
            if (line.size() > 0) {
                line(line);
            }
        }
        finishProxy();
        for (String key : List.of("global", "lua")) {
            if (root.object(key).isEmpty()) {
                root.entries.remove(root.find(key));
            }
        }
        root.set("frontends", frontends, "The proxies: a listen section is a frontend and a backend of the same name.");
        root.set("backends", backends, "A backend section without server lines gets an empty servers list.");
        return new ImportResult(HoconWriter.write(root), notes.unsupported());
    }

    private void line(ConfigLine line) {
        String key = line.keyword();
        switch (key) {
            case "global" -> start(Kind.GLOBAL);
            case "defaults" -> {
                start(Kind.DEFAULTS);
                defaults(line);
            }
            case "frontend", "backend", "listen" -> {
                start(Kind.PROXY);
                proxy(line);
            }
            case "userlist" -> {
                start(Kind.USERLIST);
                userlist(line);
            }
            default -> {
                if (OTHER_SECTIONS.contains(key)) {
                    start(Kind.SKIPPED);
                    notes.unsupported(line, key, "section left out", root);
                    return;
                }
                if (key.startsWith(".")) {
                    notes.unsupported(line, key, "conditional blocks and diagnostics are not translated", root);
                    return;
                }
                switch (kind) {
                    case GLOBAL -> global.apply(line);
                    case DEFAULTS -> {
                        defaults.add(line);
                        translator.apply(line);
                    }
                    case PROXY -> translator.apply(line);
                    case USERLIST -> {
                        if (userlist != null) {
                            userlist.apply(line);
                        }
                    }
                    case SKIPPED -> root.comment(line.where() + ": (in the section above): " + line.text().strip());
                    case NONE -> notes.unsupported(line, key, "outside any section", root);
                }
            }
        }
    }

    private void start(Kind next) {
        finishProxy();
        kind = next;
        translator = null;
        userlist = null;
    }

    private void finishProxy() {
        if (finisher != null) {
            finisher.finish();
            finisher = null;
        }
    }

    private void defaults(ConfigLine line) {
        List<ConfigLine> lines = new ArrayList<>();
        String name = null;
        int at = 1;
        if (line.size() > 1 && !line.word(1).equals("from")) {
            name = line.word(1);
            at = 2;
        }
        if (at < line.size()) {
            List<ConfigLine> parent = "from".equals(line.word(at)) ? namedDefaults.get(line.word(at + 1)) : null;
            if (parent == null) {
                notes.unsupported(line, "defaults", "expects [<name>] [from <defaults>] naming a defaults section before it", root);
            } else {
                lines.addAll(parent);
            }
        }
        root.comment(line.where() + ": " + line.text().strip() + " (inlined into the proxies that use it)");
        // Its lines are checked against a listen-like proxy now, so that problems are reported once, here.
        translator = new ProxyTranslator(new HoconObject(), new HoconObject(), root, paths, notes);
        defaults = lines;
        lastDefaults = lines;
        if (name != null) {
            namedDefaults.put(name, lines);
        }
    }

    /** {@code userlist <name>}: its user and group lines go to {@code userlists.<name>}. */
    private void userlist(ConfigLine line) {
        if (line.size() != 2) {
            notes.unsupported(line, "userlist", "expects userlist <name>", root);
            kind = Kind.SKIPPED;
            return;
        }
        String badName = NameCharacters.problem("userlist", line.word(1));
        if (badName != null) {
            notes.unsupported(line, "userlist", badName + ", as HAProxy refuses it", root);
            kind = Kind.SKIPPED;
            return;
        }
        HoconObject list = new HoconObject();
        root.object("userlists").set(line.word(1), list, line.where() + ": userlist " + line.word(1));
        userlist = new UserlistTranslator(list, notes);
    }

    private void proxy(ConfigLine line) {
        String type = line.keyword();
        String name = line.word(1);
        List<ConfigLine> inherited = lastDefaults;
        if (name == null || (line.size() != 2 && !(line.size() == 4 && line.word(2).equals("from")))) {
            notes.unsupported(line, type, "expects <name> [from <defaults>]", root);
            kind = Kind.SKIPPED;
            return;
        }
        String badName = NameCharacters.problem(type, name);
        if (badName != null) {
            notes.unsupported(line, type, badName + ", as HAProxy refuses it", root);
            kind = Kind.SKIPPED;
            return;
        }
        if (line.size() == 4) {
            inherited = namedDefaults.get(line.word(3));
            if (inherited == null) {
                notes.unsupported(line, type, "no defaults section named '" + line.word(3) + "' before it", root);
                inherited = List.of();
            }
        }
        HoconObject fe = type.equals("backend") ? null : new HoconObject();
        HoconObject be = type.equals("frontend") ? null : new HoconObject();
        if (fe != null) {
            frontends.set(name, fe, line.where() + ": " + type + " " + name);
        }
        if (be != null) {
            backends.set(name, be, line.where() + ": " + type + " " + name);
        }
        translator = new ProxyTranslator(fe, be, fe != null ? fe : be, paths, notes);
        if (fe != null && be != null) {
            // A listen section is its own backend unless default_backend says otherwise.
            fe.set("default-backend", name, line.where() + ": listen");
        }
        for (ConfigLine defaultsLine : inherited) {
            translator.inherit(defaultsLine);
        }
        finisher = new ProxyFinisher(line, fe, be, frontends, notes);
    }
}
