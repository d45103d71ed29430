package io.luagate.kernel.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.luagate.spi.balancer.HashFunction;
import io.luagate.spi.balancer.HashMethod;
import io.luagate.spi.balancer.HashType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a backend's {@code balance}, {@code hash-type} and {@code hash-balance-factor}, checking
 * their shape as HAProxy's parser does; which algorithms exist and what their arguments mean, the
 * balancer plugins say (ProxyBuilder asks them).
 */
final class BalanceReader {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

    private BalanceReader() {
    }

    static Settings.Balancing read(Section be) {
        String text = be.string("balance").strip();
        List<String> arguments = new ArrayList<>();
        int end = 0;
        while (end < text.length() && text.charAt(end) != '(' && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        String algorithm = text.substring(0, end);
        if (!NAME.matcher(algorithm).matches()) {
            be.problem("balance", "'" + text + "' does not start with an algorithm name (lower-case letters, digits, '_' and '-')");
        }
        int at = end;
        if (at < text.length() && text.charAt(at) == '(') {
            int close = text.indexOf(')', at);
            if (close < 0) {
                be.problem("balance", "'" + text + "': missing closing parenthesis");
                close = text.length();
            } else if (close + 1 < text.length() && !Character.isWhitespace(text.charAt(close + 1))) {
                be.problem("balance", "'" + text + "': unexpected character '" + text.charAt(close + 1) + "' after ')'");
            }
            String inside = text.substring(at + 1, Math.min(close, text.length()));
            // "random()" is "random", as HAProxy reads it.
            for (String argument : inside.isBlank() ? new String[0] : inside.split(",", -1)) {
                if (argument.isBlank()) {
                    be.problem("balance", "'" + text + "': an empty argument in the parentheses");
                } else {
                    arguments.add(argument.strip());
                }
            }
            at = Math.min(close + 1, text.length());
        }
        String rest = text.substring(at).strip();
        if (!rest.isEmpty()) {
            arguments.addAll(List.of(rest.split("\\s+")));
        }
        return new Settings.Balancing(algorithm, List.copyOf(arguments), be.location("balance"),
                hashType(be), hashBalanceFactor(be), null);
    }

    /** {@code balancing} with the backend's keys the kernel did not read. */
    static Settings.Balancing withOptions(Settings.Balancing balancing, Map<String, ConfigValue> unread) {
        Config options = ConfigValueFactory.fromMap(unread).toConfig();
        return new Settings.Balancing(balancing.algorithm(), balancing.arguments(), balancing.origin(),
                balancing.hashType(), balancing.hashBalanceFactor(), options);
    }

    /** HAProxy's {@code hash-type <method> [<function> [avalanche]]}. */
    private static HashType hashType(Section be) {
        String[] words = be.string("hash-type").strip().toLowerCase(Locale.ROOT).split("\\s+");
        HashMethod method = switch (words[0]) {
            case "map-based" -> HashMethod.MAP_BASED;
            case "consistent" -> HashMethod.CONSISTENT;
            default -> {
                be.problem("hash-type", "'" + words[0] + "' is not a hashing method: consistent or map-based");
                yield HashMethod.MAP_BASED;
            }
        };
        HashFunction function = HashFunction.SDBM;
        if (words.length > 1) {
            function = switch (words[1]) {
                case "sdbm" -> HashFunction.SDBM;
                case "djb2" -> HashFunction.DJB2;
                case "wt6" -> HashFunction.WT6;
                case "crc32" -> HashFunction.CRC32;
                default -> {
                    be.problem("hash-type", "'" + words[1] + "' is not a hash function: sdbm, djb2, crc32 or wt6");
                    yield HashFunction.SDBM;
                }
            };
        }
        // HAProxy: "consistent" alone is "consistent sdbm avalanche"; a written function avalanches only if told.
        boolean avalanche = words.length == 1 && method == HashMethod.CONSISTENT;
        if (words.length > 2) {
            if (words[2].equals("avalanche")) {
                avalanche = true;
            } else {
                be.problem("hash-type", "'" + words[2] + "' is not a modifier: only avalanche");
            }
        }
        if (words.length > 3) {
            be.problem("hash-type", "takes at most a method, a function and 'avalanche', not '" + words[3] + "'");
        }
        return new HashType(method, function, avalanche);
    }

    private static int hashBalanceFactor(Section be) {
        int factor = be.integer("hash-balance-factor", 0, 1_000_000);
        if (factor > 0 && factor <= 100) {
            // HAProxy refuses these: a bound at or below the average load could never be met by all.
            be.problem("hash-balance-factor", "must be 0 or greater than 100, not " + factor);
        }
        return factor;
    }
}
