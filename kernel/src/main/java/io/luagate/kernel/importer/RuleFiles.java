package io.luagate.kernel.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the file names inside a rule or ACL so that luagate opens the files HAProxy would:
 * {@code -f <file>} of ACL patterns, the {@code map*(<file>...)} converters, the
 * {@code set-map/del-map/add-acl/del-acl(<file>)} actions, and {@code file}, {@code lf-file},
 * {@code errorfile} of replies ({@code return}, {@code deny}, {@code tarpit}).
 */
final class RuleFiles {

    private static final Pattern MAP_CONVERTER = Pattern.compile("(?<![A-Za-z0-9_-])(map(?:_[a-z0-9]+)?)\\(([^,)\\s]+)");
    private static final Pattern MAP_ACTION = Pattern.compile("^((?:set|del)-map|(?:add|del)-acl)\\(([^)\\s]+)\\)");
    private static final Set<String> REPLY_ACTIONS = Set.of("return", "deny", "tarpit");
    private static final Set<String> REPLY_FILES = Set.of("file", "lf-file", "errorfile");

    private RuleFiles() {
    }

    /** The raw words from {@code from} on, file names made absolute, joined into one rule string. */
    static String rewrite(ConfigLine line, int from, PathResolver paths) {
        List<String> raw = new ArrayList<>(line.rawWords());
        boolean reply = from < line.size() && (REPLY_ACTIONS.contains(line.word(from)) || line.keyword().equals("http-error"));
        for (int i = from; i < raw.size(); i++) {
            String word = line.word(i);
            if (i + 1 < raw.size() && (word.equals("-f") || (reply && REPLY_FILES.contains(word)))) {
                raw.set(i + 1, paths.resolveWord(line.word(i + 1)));
                i++;
                continue;
            }
            String text = raw.get(i);
            if (i == from) {
                text = replace(MAP_ACTION, text, paths);
            }
            raw.set(i, replace(MAP_CONVERTER, text, paths));
        }
        return String.join(" ", raw.subList(Math.min(from, raw.size()), raw.size()));
    }

    private static String replace(Pattern pattern, String text, PathResolver paths) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String file = m.group(2);
            String replacement = m.group(0).substring(0, m.start(2) - m.start()) + paths.resolve(file)
                    + m.group(0).substring(m.end(2) - m.start());
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
