package io.luagate.plugin.runtimeapi;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a command line into words as HAProxy 2.6's {@code cli_parse_request} does: words are
 * separated by spaces and tabs; a backslash keeps the next character in the word (a space, a
 * semicolon) and is dropped, except that {@code \\} gives one backslash; a word {@code <<} that
 * ends the line starts the payload and is not a word.
 */
final class CommandLine {

    /** HAProxy's MAX_CLI_ARGS: words beyond are ignored. */
    static final int MAX_ARGS = 64;

    /** The pattern that ends a line whose payload follows. */
    static final String PAYLOAD_PATTERN = "<<";

    private CommandLine() {
    }

    /** The words of {@code line} (the payload marker excluded). */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        int p = 0;
        int end = line.length();
        while (words.size() < MAX_ARGS && p < end) {
            while (p < end && (line.charAt(p) == ' ' || line.charAt(p) == '\t')) {
                p++;
            }
            if (p >= end) {
                break;
            }
            if (line.substring(p).equals(PAYLOAD_PATTERN)) {
                break;
            }
            int start = p;
            while (p < end && line.charAt(p) != ' ' && line.charAt(p) != '\t') {
                if (line.charAt(p) == '\\') {
                    p = Math.min(end, p + 2);
                } else {
                    p++;
                }
            }
            words.add(unescape(line.substring(start, p)));
            p++;
        }
        return words;
    }

    /** Whether the line announces a payload: it ends with {@code <<} (HAProxy checks only that). */
    static boolean announcesPayload(String line) {
        return line.endsWith(PAYLOAD_PATTERN);
    }

    private static String unescape(String word) {
        if (word.indexOf('\\') < 0) {
            return word;
        }
        StringBuilder out = new StringBuilder(word.length());
        for (int k = 0; k < word.length(); k++) {
            char c = word.charAt(k);
            if (c == '\\') {
                if (k + 1 < word.length() && word.charAt(k + 1) == '\\') {
                    k++;
                } else {
                    continue;
                }
            }
            out.append(word.charAt(k));
        }
        return out.toString();
    }
}
