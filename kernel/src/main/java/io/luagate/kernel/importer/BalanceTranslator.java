package io.luagate.kernel.importer;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * HAProxy's {@code balance}, {@code hash-type} and {@code hash-balance-factor} lines as luagate's
 * backend keys. An algorithm is translated when a plugin of the default distribution serves it
 * (roundrobin, leastconn, random, source, uri, url_param, hdr, hash); its arguments are checked
 * again, with the plugin, when the result is loaded.
 */
final class BalanceTranslator {

    private static final Set<String> PLAIN = Set.of("roundrobin", "leastconn", "source", "uri");
    private static final Pattern RANDOM = Pattern.compile("random(\\(\\d*\\))?");
    private static final Pattern HDR = Pattern.compile("hdr\\([^()\\s]+\\)");
    private static final Set<String> METHODS = Set.of("map-based", "consistent");
    private static final Set<String> FUNCTIONS = Set.of("sdbm", "djb2", "wt6", "crc32");

    private BalanceTranslator() {
    }

    /**
     * The {@code balance} value for {@code words} (the line's words after the keyword), or
     * {@code null} when luagate has no plugin for that algorithm.
     */
    static String balance(List<String> words) {
        if (words.isEmpty()) {
            return null;
        }
        String algorithm = words.get(0);
        List<String> rest = words.subList(1, words.size());
        boolean known = PLAIN.contains(algorithm) || RANDOM.matcher(algorithm).matches() || HDR.matcher(algorithm).matches()
                || algorithm.equals("hash") && rest.size() == 1
                || algorithm.equals("url_param") && rest.size() == 1;
        if (!known || (algorithm.equals("roundrobin") || algorithm.equals("leastconn") || algorithm.startsWith("random")
                || algorithm.equals("source")) && !rest.isEmpty()) {
            return null;
        }
        return String.join(" ", words);
    }

    /** The {@code hash-type} value, or {@code null} when HAProxy's words are not one luagate reads. */
    static String hashType(List<String> words) {
        if (words.isEmpty() || words.size() > 3 || !METHODS.contains(words.get(0))
                || words.size() > 1 && !FUNCTIONS.contains(words.get(1))
                || words.size() > 2 && !words.get(2).equals("avalanche")) {
            return null;
        }
        return String.join(" ", words);
    }
}
