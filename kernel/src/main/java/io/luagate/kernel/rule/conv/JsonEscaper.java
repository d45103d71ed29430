package io.luagate.kernel.rule.conv;

/**
 * The {@code json([<input-code>])} converter's escaping (sample_conv_json() in src/sample.c): the
 * result is ASCII, with \" \\ \/ \b \f \n \r \t and \\uXXXX (lower case) for anything else that is
 * not printable. The input is read as bytes ("ascii") or as UTF-8 in one of four error policies.
 */
enum JsonEscaper {
    /** Bytes as they are: never fails. */
    ASCII(false, false),
    /** UTF-8; fails on any error. */
    UTF8(false, false),
    /** UTF-8; drops erroneous characters. */
    UTF8S(true, false),
    /** UTF-8; accepts overlong encodings, fails on other errors. */
    UTF8P(false, true),
    /** UTF-8; accepts overlong encodings, drops other erroneous characters. */
    UTF8PS(true, true);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final boolean skipErrors;
    private final boolean permissive;

    JsonEscaper(boolean skipErrors, boolean permissive) {
        this.skipErrors = skipErrors;
        this.permissive = permissive;
    }

    /** The input code named {@code name} ("" is ascii), or {@code null}. */
    static JsonEscaper named(String name) {
        return switch (name) {
            case "", "ascii" -> ASCII;
            case "utf8" -> UTF8;
            case "utf8s" -> UTF8S;
            case "utf8p" -> UTF8P;
            case "utf8ps" -> UTF8PS;
            default -> null;
        };
    }

    /** The escaped text, or {@code null} when the input code makes the conversion fail. */
    String escape(String in) {
        StringBuilder out = new StringBuilder(in.length() + 16);
        int i = 0;
        while (i < in.length()) {
            long c;
            if (this == ASCII) {
                c = in.charAt(i) & 0xff;
                i++;
            } else {
                long next = Utf8Decoder.next(in, i);
                i += Utf8Decoder.length(next);
                int status = Utf8Decoder.status(next);
                int fatal = permissive ? Utf8Decoder.INVALID_RANGE | Utf8Decoder.BAD_SEQUENCE : 0xff;
                if ((status & fatal) != 0) {
                    if (skipErrors) {
                        continue;
                    }
                    return null;
                }
                c = Utf8Decoder.codePoint(next);
                if (c > 0xffff) {
                    if (skipErrors) {
                        continue;
                    }
                    return null;
                }
            }
            switch ((int) c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '/' -> out.append("\\/");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        out.append((char) c);
                    } else {
                        out.append("\\u").append(HEX[(int) (c >> 12) & 0xf]).append(HEX[(int) (c >> 8) & 0xf])
                                .append(HEX[(int) (c >> 4) & 0xf]).append(HEX[(int) c & 0xf]);
                    }
                }
            }
        }
        return out.toString();
    }
}
