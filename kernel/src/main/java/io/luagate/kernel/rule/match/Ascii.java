package io.luagate.kernel.rule.match;

/** Case folding as HAProxy's {@code -i} does it (C locale {@code tolower}): A-Z only. */
final class Ascii {

    private Ascii() {
    }

    static char fold(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    static String fold(String s) {
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

    /** {@code a[aFrom..aFrom+length)} equals {@code b[bFrom..bFrom+length)}, folding when asked. */
    static boolean regionEquals(String a, int aFrom, String b, int bFrom, int length, boolean ignoreCase) {
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
