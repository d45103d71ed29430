package io.luagate.kernel.rule.conv;

/**
 * HAProxy's URL encoding for query strings (sample_conv_url_enc(): everything but RFC 3986's
 * unreserved characters becomes %XX, upper case) and url_decode() from src/tools.c.
 */
final class UrlCodec {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UrlCodec() {
    }

    private static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    static String encodeQuery(String in) {
        StringBuilder out = new StringBuilder(in.length() + 16);
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            if (unreserved(c)) {
                out.append(c);
            } else {
                out.append('%').append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /**
     * Decodes %XX and, in a form or once a '?' was seen, '+' as a space. The input ends at its
     * first NUL byte, as the C string it is in HAProxy; {@code null} on a bad %-sequence.
     */
    static String decode(String in, boolean inForm) {
        StringBuilder out = new StringBuilder(in.length());
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            switch (c) {
                case 0 -> {
                    return out.toString();
                }
                case '+' -> out.append(inForm ? ' ' : '+');
                case '%' -> {
                    int high = i + 1 < in.length() ? hex(in.charAt(i + 1)) : -1;
                    int low = i + 2 < in.length() ? hex(in.charAt(i + 2)) : -1;
                    if (high < 0 || low < 0) {
                        return null;
                    }
                    out.append((char) ((high << 4) + low));
                    i += 2;
                }
                case '?' -> {
                    inForm = true;
                    out.append(c);
                }
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
