package io.luagate.plugin.runtimeapi;

import io.luagate.spi.pattern.FileNameBytes;
import io.luagate.spi.pattern.PatternEntry;
import io.luagate.spi.pattern.PatternFile;
import io.luagate.spi.pattern.PatternFiles;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * HAProxy's map and ACL commands ({@code src/map.c}): {@code show}, {@code add}, {@code set},
 * {@code del}, {@code clear}, with its {@code #<id>} file references, its entry references
 * ({@code #0x...}) and its texts. As in HAProxy 2.6 they need no level. Versions ({@code @<ver>})
 * other than the current one (0) are not kept: luagate has no {@code prepare}/{@code commit}.
 */
final class PatternCommands {

    /** The current generation's files (the kernel's view for extensions living for the process): a reload reads them anew. */
    private final PatternFiles patterns;
    private final Path home;

    PatternCommands(PatternFiles patterns, Path home) {
        this.patterns = patterns;
        this.home = home;
    }

    void register(CommandTable table) {
        table.add("add acl", "add acl [@<ver>] <acl> <pattern>        : add an acl entry", r -> add(r, false))
                .add("add map", "add map [@<ver>] <map> <key> <val>      : add a map entry (payload supported instead of key/val)",
                        r -> add(r, true))
                .add("clear acl", "clear acl [@<ver>] <acl>                : clear the contents of this acl", r -> clear(r, false))
                .add("clear map", "clear map [@<ver>] <map>                : clear the contents of this map", r -> clear(r, true))
                .add("del acl", "del acl <acl> [<key>|#<ref>]            : delete acl entries matching <key>", r -> del(r, false))
                .add("del map", "del map <map> [<key>|#<ref>]            : delete map entries matching <key>", r -> del(r, true))
                .add("set map", "set map <map> [<key>|#<ref>] <value>    : modify a map entry", this::set)
                .add("show acl", "show acl [@<ver>] <acl>]                : report available acls or dump an acl's contents",
                        r -> show(r, false))
                .add("show map", "show map [@ver] [map]                   : report available maps or dump a map's contents",
                        r -> show(r, true));
    }

    private static String unknown(boolean map) {
        return map ? "Unknown map identifier. Please use #<id> or <file>.\n"
                : "Unknown ACL identifier. Please use #<id> or <file>.\n";
    }

    /**
     * HAProxy's {@code pat_ref_lookup_ref}: {@code #<id>} (decimal) or the file's name, as the
     * configuration wrote it or absolute; {@code null} when no loaded file of that kind has it.
     */
    PatternFile lookup(String bytes, boolean map) {
        // The argument's bytes, the file's name as text: as a rule's word names it.
        String reference = FileNameBytes.decode(bytes);
        Integer id = null;
        if (reference.startsWith("#")) {
            try {
                id = Integer.parseInt(reference.substring(1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        String resolved = null;
        if (id == null) {
            try {
                resolved = home.resolve(reference).toAbsolutePath().normalize().toString();
            } catch (InvalidPathException e) {
                return null;
            }
        }
        for (PatternFile file : patterns.files()) {
            boolean same = id != null ? file.id() == id : file.file().equals(reference) || file.file().equals(resolved);
            if (same && file.map() == map) {
                return file;
            }
        }
        return null;
    }

    /** Where the current version is asked for: no {@code @}, or {@code @0}. */
    private static boolean currentVersion(String gen) {
        return gen == null || parseUnsigned(gen) == 0;
    }

    /** HAProxy's {@code str2uic}: the leading digits, 0 without any. */
    private static long parseUnsigned(String text) {
        long value = 0;
        for (int i = 0; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
            value = value * 10 + (text.charAt(i) - '0');
            if (value > 0xffffffffL) {
                return value;
            }
        }
        return value;
    }

    /** An entry reference {@code #0x...} as HAProxy reads it (strtoll base 16 after the '#'). */
    private static Long entryRef(String arg) {
        if (!arg.startsWith("#0x")) {
            return null;
        }
        String hex = arg.substring(3);
        if (hex.isEmpty() || hex.length() > 16) {
            throw new CliError("Malformed identifier. Please use #<id> or <file>.\n");
        }
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new CliError("Malformed identifier. Please use #<id> or <file>.\n");
        }
    }

    private static String ref(long ref) {
        return "0x" + Long.toHexString(ref);
    }

    private String show(Request r, boolean map) {
        int at = 2;
        String gen = null;
        if (r.arg(at).isEmpty()) {
            StringBuilder out = new StringBuilder("# id (file) description\n");
            for (PatternFile file : patterns.files()) {
                if (file.map() == map) {
                    String name = FileNameBytes.encode(file.file());
                    out.append(file.id()).append(" (").append(name).append(") pattern loaded from file '")
                            .append(name).append("' used by ").append(map ? "map" : "acl")
                            .append(". curr_ver=0 next_ver=0 entry_cnt=").append(file.size()).append('\n');
                }
            }
            return out.toString();
        }
        if (r.arg(at).startsWith("@")) {
            gen = r.arg(at).substring(1);
            at++;
        }
        PatternFile file = lookup(r.arg(at), map);
        if (file == null) {
            throw new CliError(unknown(map));
        }
        StringBuilder out = new StringBuilder();
        if (currentVersion(gen)) {
            for (PatternEntry entry : patterns.entries(file.file())) {
                out.append(ref(entry.ref())).append(' ').append(entry.key());
                if (map) {
                    out.append(' ').append(entry.value());
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private String add(Request r, boolean map) {
        int at = 2;
        String gen = null;
        if (r.arg(at).startsWith("@")) {
            gen = r.arg(at).substring(1);
            at++;
        }
        String payload = r.payload();
        if (map) {
            if ((payload == null && (r.arg(at).isEmpty() || r.arg(at + 1).isEmpty() || r.arg(at + 2).isEmpty()))
                    || (payload != null && r.arg(at).isEmpty())) {
                throw new CliError("'add map' expects three parameters (map identifier, key and value)"
                        + " or one parameter (map identifier) and a payload\n");
            }
        } else if (r.arg(at).isEmpty() || r.arg(at + 1).isEmpty()) {
            throw new CliError("'add acl' expects two parameters: ACL identifier and pattern.\n");
        }
        PatternFile file = lookup(r.arg(at), map);
        if (file == null) {
            if (!map && lookup(r.arg(at), true) != null) {
                throw new CliError("This ACL is shared with a map containing samples. "
                        + "You must use the command 'add map' to add values.\n");
            }
            throw new CliError(unknown(map));
        }
        if (!currentVersion(gen)) {
            throw new CliError(map ? "Version number in the future, please use 'prepare map' before.\n"
                    : "Version number in the future, please use 'prepare acl' before.\n");
        }
        if (payload == null) {
            append(file, r.arg(at + 1), map ? r.arg(at + 2) : null);
            return "";
        }
        // One entry a line: the key up to a blank, then the value up to the end of the line.
        int p = 0;
        while (p < payload.length()) {
            int keyEnd = p;
            while (keyEnd < payload.length() && payload.charAt(keyEnd) != ' ' && payload.charAt(keyEnd) != '\t') {
                keyEnd++;
            }
            String key = payload.substring(p, keyEnd);
            if (keyEnd == payload.length() && map) {
                throw new CliError("Missing value for key '" + key + "'.\n");
            }
            int valueStart = Math.min(payload.length(), keyEnd + 1);
            while (valueStart < payload.length() && (payload.charAt(valueStart) == ' ' || payload.charAt(valueStart) == '\t')) {
                valueStart++;
            }
            int lf = payload.indexOf('\n', valueStart);
            int valueEnd = lf < 0 ? payload.length() : lf;
            append(file, key, map ? payload.substring(valueStart, valueEnd) : null);
            p = lf < 0 ? payload.length() : lf + 1;
        }
        return "";
    }

    private void append(PatternFile file, String key, String value) {
        try {
            patterns.append(file.file(), key, value);
        } catch (IllegalArgumentException e) {
            throw new CliError(sentence(e.getMessage()));
        }
    }

    /** HAProxy's {@code "%s.\n"} around a pattern error. */
    private static String sentence(String message) {
        return (message == null ? "Failed to update an entry" : message) + ".\n";
    }

    private String set(Request r) {
        if (r.arg(2).isEmpty() || r.arg(3).isEmpty() || r.arg(4).isEmpty()) {
            throw new CliError("'set map' expects three parameters: map identifier, key and value.\n");
        }
        PatternFile file = lookup(r.arg(2), true);
        if (file == null) {
            throw new CliError(unknown(true));
        }
        Long ref = entryRef(r.arg(3));
        try {
            if (ref != null) {
                if (!patterns.replaceRef(file.file(), ref, r.arg(4))) {
                    throw new CliError("key or pattern not found.\n");
                }
            } else if (!patterns.replace(file.file(), r.arg(3), r.arg(4))) {
                throw new CliError("entry not found.\n");
            }
        } catch (IllegalArgumentException e) {
            throw new CliError(sentence(e.getMessage()));
        }
        return "";
    }

    private String del(Request r, boolean map) {
        if (r.arg(2).isEmpty() || r.arg(3).isEmpty()) {
            throw new CliError(map ? "This command expects two parameters: map identifier and key.\n"
                    : "This command expects two parameters: ACL identifier and key.\n");
        }
        PatternFile file = lookup(r.arg(2), map);
        if (file == null) {
            // HAProxy 2.6 names the map here for ACLs too.
            throw new CliError(unknown(true));
        }
        Long ref = entryRef(r.arg(3));
        boolean removed = ref != null ? patterns.removeRef(file.file(), ref) : patterns.remove(file.file(), r.arg(3));
        if (!removed) {
            throw new CliError("Key not found.\n");
        }
        return "";
    }

    private String clear(Request r, boolean map) {
        int at = 2;
        String gen = null;
        if (r.arg(at).startsWith("@")) {
            gen = r.arg(at).substring(1);
            at++;
        }
        if (r.arg(at).isEmpty()) {
            throw new CliError(map ? "Missing map identifier.\n" : "Missing ACL identifier.\n");
        }
        PatternFile file = lookup(r.arg(at), map);
        if (file == null) {
            throw new CliError(unknown(map));
        }
        if (currentVersion(gen)) {
            patterns.clear(file.file());
        }
        return "";
    }
}
