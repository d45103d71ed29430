package io.luagate.spi.http;

/**
 * Case folding as HAProxy does it, for header names, {@code -i} matching and every other byte
 * string: the C locale's {@code tolower}, A-Z only. Java's {@code toLowerCase} and
 * {@code equalsIgnoreCase} also fold the Latin-1 letters, and a byte string holds one byte per
 * {@code char}: they would turn a UTF-8 {@code É} ({@code C3 89}) into {@code E3 89}, and take a
 * header named with byte {@code C9} for one named with {@code E9}, where HAProxy does neither.
 */
public final class AsciiFold {

    private AsciiFold() {
    }

    /** {@code c} in lower case when it is one of A-Z; {@code c} otherwise. */
    public static char fold(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    /** {@code s} with A-Z in lower case; {@code s} itself when it has none. */
    public static String fold(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    chars[j] = fold(chars[j]);
                }
                return new String(chars);
            }
        }
        return s;
    }

    /** Whether {@code a} and {@code b} are equal once A-Z are folded. */
    public static boolean equalsIgnoreCase(String a, String b) {
        return a.length() == b.length() && regionEquals(a, 0, b, 0, a.length(), true);
    }

    /** Whether {@code part} occurs in {@code s} once A-Z are folded in both. */
    public static boolean containsIgnoreCase(String s, String part) {
        for (int i = 0, last = s.length() - part.length(); i <= last; i++) {
            if (regionEquals(s, i, part, 0, part.length(), true)) {
                return true;
            }
        }
        return false;
    }

    /** {@code a[aFrom..aFrom+length)} equals {@code b[bFrom..bFrom+length)}, folding when asked. */
    public static boolean regionEquals(String a, int aFrom, String b, int bFrom, int length, boolean ignoreCase) {
        if (!ignoreCase) {
            return a.regionMatches(aFrom, b, bFrom, length);
        }
        for (int i = 0; i < length; i++) {
            if (fold(a.charAt(aFrom + i)) != fold(b.charAt(bFrom + i))) {
                return false;
            }
        }
        return true;
    }
}
