package io.luagate.kernel.rule.match;

import io.luagate.spi.sample.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles patterns with HAProxy 2.6's semantics (doc 7.1.1-7.1.6, src/pattern.c), once, into
 * immutable, thread-safe matchers.
 *
 * <p>How each method reads its patterns and matches a sample (which is first cast as HAProxy does,
 * see {@link Samples} and, for {@code ip}, {@link IpAddresses#castToAddress}; a sample that cannot
 * be cast never matches):
 * <ul>
 *   <li>{@code found}: any sample; patterns are ignored.</li>
 *   <li>{@code bool}: the sample as an integer is not zero; patterns are ignored.</li>
 *   <li>{@code int}, {@code len}: {@code 10}, {@code 10:20}, {@code :20}, {@code 10:} ('-' works
 *       as ':' too, so {@code -5} means "up to 5"). In the words of an ACL
 *       ({@link Source#ACL_WORDS}) the operators {@code eq ge gt le lt} may come before values and
 *       apply to every value after them ({@code gt 5} is {@code 6:}, {@code lt 0} is {@code :-1});
 *       they are not applied to a value that holds ':' or '-', and as in HAProxy {@code ne} is
 *       accepted but compares for equality. {@code len} matches the length of the string form.</li>
 *   <li>{@code ip}: {@code a.b.c.d}, {@code a.b.c.d/24}, {@code a.b.c.d/255.255.0.0} (a
 *       non-contiguous mask is allowed), IPv6 with an optional {@code /bits}; in ACLs the short
 *       IPv4 forms {@code 127.1}, {@code 10.12/8} too. Host names are not resolved.</li>
 *   <li>{@code bin}: an even number of hex digits.</li>
 *   <li>{@code str}, {@code beg}, {@code end}, {@code sub}, {@code dir}, {@code dom}: the text;
 *       {@code -i} compares ignoring the case of A-Z.</li>
 *   <li>{@code reg}: a regular expression (java.util.regex with UNIX_LINES, CASE_INSENSITIVE for
 *       {@code -i}) found anywhere in the sample.</li>
 * </ul>
 * A pattern that cannot be read fails with a {@link PatternException} carrying its origin.
 */
public final class Patterns {

    /** Where patterns come from, which changes how HAProxy reads some of them. */
    public enum Source {
        /** Values written in an ACL: int/len operators apply, short IPv4 forms are accepted. */
        ACL_WORDS,
        /** Lines of a pattern file ({@code -f}): no operators; short IPv4 forms are accepted. */
        ACL_FILE,
        /** Keys of a map file, read without DNS: no operators, IPv4 addresses must be strict. */
        MAP_KEYS
    }

    private static final Matcher NEVER = sample -> false;

    private Patterns() {
    }

    /**
     * The matcher for the values written in an ACL ({@link Source#ACL_WORDS}).
     *
     * @param ignoreCase HAProxy's {@code -i}
     */
    public static Matcher compile(MatchMethod method, List<Pattern> patterns, boolean ignoreCase) throws PatternException {
        return matcher(index(method, patterns, ignoreCase, Source.ACL_WORDS));
    }

    /** A matcher that matches when the index finds a pattern. */
    public static Matcher matcher(PatternIndex index) {
        return sample -> index.find(sample) >= 0;
    }

    /** Matches when any of the matchers does (an ACL made of several pattern files and values). */
    public static Matcher anyOf(List<Matcher> matchers) {
        Matcher[] all = matchers.toArray(new Matcher[0]);
        return switch (all.length) {
            case 0 -> NEVER;
            case 1 -> all[0];
            default -> sample -> {
                for (Matcher m : all) {
                    if (m.matches(sample)) {
                        return true;
                    }
                }
                return false;
            };
        };
    }

    /**
     * Compiles patterns into an index that tells which one matches (see {@link PatternIndex} for
     * the precedence). Positions returned by the index are those of {@code patterns}.
     */
    public static PatternIndex index(MatchMethod method, List<Pattern> patterns, boolean ignoreCase, Source source)
            throws PatternException {
        return switch (method) {
            case FOUND -> sample -> 0;
            case BOOL -> sample -> !Samples.hasLong(sample) ? PatternIndex.NO_SAMPLE
                    : Samples.longValue(sample) != 0 ? 0 : PatternIndex.NO_MATCH; // cast to sint, as in Acl
            case INT, LEN -> ranges(patterns, source == Source.ACL_WORDS, method == MatchMethod.LEN);
            case IP -> ip(patterns, source != Source.MAP_KEYS);
            case BIN -> bin(patterns);
            case STR -> new StrIndex(texts(patterns), ignoreCase);
            case BEG -> new CharTrie(texts(patterns),
                    ignoreCase ? CharTrie.Mode.FIRST_PREFIX : CharTrie.Mode.LONGEST_PREFIX, ignoreCase);
            case END -> new CharTrie(texts(patterns), CharTrie.Mode.FIRST_SUFFIX, ignoreCase);
            case SUB -> new CharTrie(texts(patterns), CharTrie.Mode.FIRST_INFIX, ignoreCase);
            case DIR -> new WordIndex(texts(patterns), "/?", ignoreCase);
            case DOM -> new WordIndex(texts(patterns), "/?.:", ignoreCase);
            case REG -> regex(patterns, ignoreCase);
        };
    }

    private static List<String> texts(List<Pattern> patterns) {
        List<String> texts = new ArrayList<>(patterns.size());
        for (Pattern p : patterns) {
            texts.add(p.text());
        }
        return texts;
    }

    // ---- int / len ------------------------------------------------------------------------------

    private enum Operator { EQ, NE, GT, GE, LT, LE }

    private static Operator operator(String word) {
        return switch (word) {
            case "eq" -> Operator.EQ;
            case "ne" -> Operator.NE;
            case "gt" -> Operator.GT;
            case "ge" -> Operator.GE;
            case "lt" -> Operator.LT;
            case "le" -> Operator.LE;
            default -> null;
        };
    }

    private static PatternIndex ranges(List<Pattern> patterns, boolean operators, boolean length) throws PatternException {
        int n = patterns.size();
        long[] mins = new long[n];
        long[] maxs = new long[n];
        boolean[] minSet = new boolean[n];
        boolean[] maxSet = new boolean[n];
        int[] ordinals = new int[n];
        int count = 0;
        Operator op = Operator.EQ;
        for (int i = 0; i < n; i++) {
            Pattern pattern = patterns.get(i);
            String text = pattern.text();
            if (operators) {
                Operator word = operator(text);
                if (word != null) {
                    op = word;
                    continue;
                }
                if (op != Operator.EQ && text.indexOf(':') < 0 && text.indexOf('-') < 0) {
                    int dot = text.indexOf('.');
                    Long value = strictLong(text, 0, dot < 0 ? text.length() : dot);
                    if (value == null) {
                        throw new PatternException(pattern.origin(), "'" + text + "' is neither a number nor a supported operator");
                    }
                    text = switch (op) {
                        case GT -> (value + 1) + ":";
                        case GE -> value + ":";
                        case LT -> ":" + (value - 1);
                        case LE -> ":" + value;
                        default -> text; // ne: HAProxy leaves the value as it is
                    };
                }
            }
            parseRange(text, pattern.origin(), mins, maxs, minSet, maxSet, count);
            ordinals[count++] = i;
        }
        return new RangeIndex(java.util.Arrays.copyOf(mins, count), java.util.Arrays.copyOf(maxs, count),
                java.util.Arrays.copyOf(minSet, count), java.util.Arrays.copyOf(maxSet, count),
                java.util.Arrays.copyOf(ordinals, count), length);
    }

    /** HAProxy's {@code pat_parse_int}. */
    private static void parseRange(String text, String origin, long[] mins, long[] maxs, boolean[] minSet,
            boolean[] maxSet, int at) throws PatternException {
        String badRange = "'" + text + "' is not a valid number range";
        if (text.isEmpty()) {
            throw new PatternException(origin, badRange);
        }
        int sep = 0;
        while (sep < text.length() && text.charAt(sep) != ':' && text.charAt(sep) != '-') {
            sep++;
        }
        Long min = null;
        Long max = null;
        if (sep == text.length()) {
            min = strictLong(text, 0, text.length());
            if (min == null) {
                throw new PatternException(origin, "'" + text + "' is not a number");
            }
            max = min;
        } else if (sep == 0 && text.length() > 1) {
            max = strictLong(text, 1, text.length());
            if (max == null) {
                throw new PatternException(origin, badRange);
            }
        } else if (sep == text.length() - 1) {
            min = strictLong(text, 0, sep);
            if (min == null) {
                throw new PatternException(origin, badRange);
            }
        } else {
            min = strictLong(text, 0, sep);
            max = strictLong(text, sep + 1, text.length());
            if (min == null || max == null || min > max) {
                throw new PatternException(origin, badRange);
            }
        }
        minSet[at] = min != null;
        maxSet[at] = max != null;
        mins[at] = min == null ? 0 : min;
        maxs[at] = max == null ? 0 : max;
    }

    /**
     * HAProxy's {@code strl2llrc}: an optional '-' then decimal digits, all of the text, no overflow
     * (unlike it, characters below '0' are refused rather than read as odd digits).
     */
    private static Long strictLong(String text, int from, int to) {
        if (from >= to) {
            return null;
        }
        boolean negative = text.charAt(from) == '-';
        long value = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return null;
            }
            try {
                value = Math.addExact(Math.multiplyExact(value, 10), negative ? -digit : digit);
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return value;
    }

    // ---- ip -----------------------------------------------------------------------------------

    private static PatternIndex ip(List<Pattern> patterns, boolean shortForms) throws PatternException {
        List<IpIndex.Network> networks = new ArrayList<>(patterns.size());
        for (Pattern p : patterns) {
            IpIndex.Network network = parseNetwork(p.text(), shortForms);
            if (network == null) {
                throw new PatternException(p.origin(), "'" + p.text() + "' is not a valid IPv4 or IPv6 address");
            }
            networks.add(network);
        }
        return new IpIndex(networks);
    }

    /** HAProxy's {@code str2net} then {@code str62net}; null if neither reads it. */
    static IpIndex.Network parseNetwork(String text, boolean shortForms) {
        int slash = text.lastIndexOf('/');
        int addressEnd = slash < 0 ? text.length() : slash;
        // IPv4, with a mask in bits or dotted
        long mask = 0xFFFFFFFFL;
        boolean maskOk = true;
        if (slash >= 0) {
            String m = text.substring(slash + 1);
            if (m.indexOf('.') >= 0) {
                mask = IpAddresses.parseIpv4Strict(m, 0, m.length());
                maskOk = mask != IpAddresses.INVALID;
            } else {
                Long bits = digits(m, 32);
                maskOk = bits != null;
                if (maskOk) {
                    mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
                }
            }
        }
        if (maskOk) {
            long v4 = IpAddresses.parseIpv4Strict(text, 0, addressEnd);
            if (v4 == IpAddresses.INVALID && shortForms) {
                v4 = IpAddresses.parseIpv4Short(text, 0, addressEnd);
            }
            if (v4 != IpAddresses.INVALID) {
                return new IpIndex.Network((int) v4, (int) mask, null, 32);
            }
        }
        // IPv6, with a mask in bits
        int prefix = 128;
        if (slash >= 0) {
            Long bits = digits(text.substring(slash + 1), 128);
            if (bits == null) {
                return null;
            }
            prefix = (int) (long) bits;
        }
        byte[] v6 = IpAddresses.parseIpv6(text, 0, addressEnd);
        return v6 == null ? null : new IpIndex.Network(0, 0, v6, prefix);
    }

    private static Long digits(String text, int max) {
        if (text.isEmpty() || text.length() > 9) {
            return null;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return null;
            }
            value = value * 10 + digit;
        }
        return value <= max ? value : null;
    }

    // ---- bin ----------------------------------------------------------------------------------

    private static PatternIndex bin(List<Pattern> patterns) throws PatternException {
        List<byte[]> blocks = new ArrayList<>(patterns.size());
        for (Pattern p : patterns) {
            blocks.add(parseHex(p));
        }
        return new BinIndex(blocks);
    }

    /** HAProxy's {@code parse_binary}. */
    private static byte[] parseHex(Pattern p) throws PatternException {
        String text = p.text();
        if (text.length() % 2 != 0) {
            throw new PatternException(p.origin(), "an even number of hex digit is expected");
        }
        byte[] out = new byte[text.length() / 2];
        for (int i = 0; i < text.length(); i += 2) {
            int high = hex(text.charAt(i));
            int low = high < 0 ? -1 : hex(text.charAt(i + 1));
            if (high < 0 || low < 0) {
                char bad = high < 0 ? text.charAt(i) : text.charAt(i + 1);
                throw new PatternException(p.origin(), "an hex digit is expected (found '" + bad + "')");
            }
            out[i / 2] = (byte) ((high << 4) | low);
        }
        return out;
    }

    private static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    // ---- reg ----------------------------------------------------------------------------------

    private static PatternIndex regex(List<Pattern> patterns, boolean ignoreCase) throws PatternException {
        List<java.util.regex.Pattern> regexes = new ArrayList<>(patterns.size());
        int flags = java.util.regex.Pattern.UNIX_LINES | (ignoreCase ? java.util.regex.Pattern.CASE_INSENSITIVE : 0);
        for (Pattern p : patterns) {
            try {
                regexes.add(java.util.regex.Pattern.compile(p.text(), flags));
            } catch (PatternSyntaxException e) {
                throw new PatternException(p.origin(), "regex '" + p.text() + "' is invalid (" + e.getDescription()
                        + (e.getIndex() >= 0 ? ", offset " + e.getIndex() : "") + ")");
            }
        }
        return new RegIndex(regexes);
    }
}
