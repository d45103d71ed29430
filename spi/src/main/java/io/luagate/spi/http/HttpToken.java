package io.luagate.spi.http;

/**
 * RFC 9110's {@code token} (section 5.6.2), the only names luagate writes as header names and
 * reads as methods. HAProxy checks none of the names its configuration writes ({@code set-header
 * X-É} sends the bytes {@code C3 89}); luagate's writers (Netty's among them) refuse such a name,
 * so every path that takes a name from the configuration or from Lua checks it here first.
 */
public final class HttpToken {

    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HttpToken() {
    }

    /** Whether {@code c} (a byte, or a {@code char} holding one) is a tchar. */
    public static boolean isTokenChar(int c) {
        return c >= 0 && c < 256 && TCHAR[c];
    }

    /** Whether {@code name} is a token: not empty, tchars only. */
    public static boolean isToken(CharSequence name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
