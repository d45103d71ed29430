package io.luagate.spi.http;

/**
 * What a header value luagate writes may hold: no control byte but HTAB (RFC 9110's field-value),
 * which is also what Netty's encoders take. HAProxy sends CR and LF raw, splitting the header,
 * and cuts a value at NUL; luagate refuses such a value where it is given, at load for the
 * configuration's constants and at the call for a script's.
 */
public final class FieldValue {

    private FieldValue() {
    }

    /** The index of the first control byte in {@code value} that a header cannot carry, or -1. */
    public static int controlByte(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                return i;
            }
        }
        return -1;
    }

    /** {@code text} with its control bytes as {@code \xNN}, to be quoted in a one-line message. */
    public static String visible(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                out.append(String.format("\\x%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
