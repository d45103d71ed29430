package io.luagate.plugin.runtimeapi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands, found and run as HAProxy 2.6's CLI finds and runs them, with its answers to a
 * line that names none ({@code cli_gen_usage_msg}): the list of every command, or the closest
 * ones by word fingerprint, then always help, prompt and quit.
 */
final class CommandTable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandTable.class);

    /** HAProxy's CLI_PREFIX_KW_NB: words of a keyword compared at most. */
    private static final int PREFIX_WORDS = 5;
    /** HAProxy's CLI_MAX_MATCHES: close commands proposed at most. */
    private static final int MAX_MATCHES = 5;

    private static final String ALWAYS = """
              help [<command>]                        : list matching or all commands
              prompt                                  : toggle interactive mode with prompt
              quit                                    : disconnect
            """;

    private final List<Keyword> keywords = new ArrayList<>();

    /** Adds a command; keywords are tried in the order added. */
    CommandTable add(String words, String usage, Keyword.Command command) {
        keywords.add(new Keyword(List.of(words.split(" ")), usage, command));
        return this;
    }

    /** Runs the command the words name and returns its answer (without the trailing empty line). */
    String run(List<String> words, String payload, CliConnection connection) {
        for (Keyword keyword : keywords) {
            if (keyword.matches(words)) {
                try {
                    return keyword.command().run(new Request(words, payload, connection));
                } catch (CliError e) {
                    if (e.noTrailingLine()) {
                        connection.suppressTrailingLine();
                    }
                    return e.getMessage();
                } catch (RuntimeException e) {
                    LOG.warn("runtime API command '{}' failed", String.join(" ", words), e);
                    return "Internal error.\n";
                }
            }
        }
        return usage(words, false);
    }

    /**
     * HAProxy's {@code cli_gen_usage_msg}: for {@code help} (its words after {@code help}), or for
     * a line no command matches.
     */
    String usage(List<String> args, boolean help) {
        int length = 0;
        for (Keyword kw : keywords) {
            for (int idx = 0; idx < PREFIX_WORDS && idx < kw.words().size(); idx++) {
                String arg = idx < args.size() ? args.get(idx) : "";
                if (arg.isEmpty() || !kw.words().get(idx).equals(arg)) {
                    break;
                }
                length = Math.max(length, idx + 1);
            }
        }
        StringBuilder out = new StringBuilder();
        String first = args.isEmpty() ? "" : args.get(0);
        if (help) {
            out.append("The following commands are valid at this level:\n");
        } else if (length == 0 && first.isEmpty()) {
            out.append("Unknown command. Please enter one of the following commands only:\n");
        } else {
            out.append("Unknown command, but maybe one of the following ones is a better match:\n");
        }
        List<Keyword> entries = new ArrayList<>();
        String next = length < args.size() ? args.get(length) : "";
        Keyword[] matches = new Keyword[MAX_MATCHES];
        int[] distances = new int[MAX_MATCHES];
        java.util.Arrays.fill(distances, Integer.MAX_VALUE);
        if (!next.isEmpty()) {
            for (Keyword kw : keywords) {
                if (kw.usage() == null || !prefixMatches(kw, args, length)) {
                    continue;
                }
                WordFingerprint wordSig = new WordFingerprint();
                int total = 0;
                for (int i = length; i < PREFIX_WORDS && i < args.size() && !args.get(i).isEmpty(); i++) {
                    wordSig.add(args.get(i));
                    total += args.get(i).length();
                }
                WordFingerprint listSig = new WordFingerprint();
                for (int i = length; i < PREFIX_WORDS && i < kw.words().size(); i++) {
                    listSig.add(kw.words().get(i));
                    total += kw.words().get(i).length();
                }
                int dist = wordSig.distance(listSig);
                if (dist < 5 * total / 2 && dist < distances[MAX_MATCHES - 1]) {
                    matches[MAX_MATCHES - 1] = kw;
                    distances[MAX_MATCHES - 1] = dist;
                    for (int idx = MAX_MATCHES - 1; --idx >= 0;) {
                        if (distances[idx + 1] >= distances[idx]) {
                            break;
                        }
                        Keyword k = matches[idx + 1];
                        int d = distances[idx + 1];
                        matches[idx + 1] = matches[idx];
                        distances[idx + 1] = distances[idx];
                        matches[idx] = k;
                        distances[idx] = d;
                    }
                }
            }
        }
        if (matches[0] != null) {
            for (int idx = 0; idx < MAX_MATCHES && matches[idx] != null; idx++) {
                if (distances[idx] > 5 * distances[0] / 2) {
                    break;
                }
                entries.add(matches[idx]);
            }
        } else {
            for (Keyword kw : keywords) {
                if (kw.usage() != null && prefixMatches(kw, args, length)) {
                    entries.add(kw);
                }
            }
        }
        entries.sort(Comparator.comparing(Keyword::usage));
        for (Keyword kw : entries) {
            out.append("  ").append(kw.usage()).append('\n');
        }
        out.append(ALWAYS);
        return out.toString();
    }

    /** Whether the keyword's first {@code length} words are the line's (a shorter keyword does not match). */
    private static boolean prefixMatches(Keyword kw, List<String> args, int length) {
        int idx = 0;
        for (; idx < length; idx++) {
            if (idx >= kw.words().size()) {
                break;
            }
            String arg = idx < args.size() ? args.get(idx) : "";
            if (arg.isEmpty() || !kw.words().get(idx).equals(arg)) {
                break;
            }
        }
        return idx == length;
    }
}
