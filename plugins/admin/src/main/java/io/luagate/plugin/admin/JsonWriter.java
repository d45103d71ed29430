package io.luagate.plugin.admin;

import java.util.Collection;
import java.util.Map;

/**
 * Writes JSON (RFC 8259) from plain Java values: {@link Map} (its keys as strings, in its own
 * order), {@link Collection}, {@link CharSequence}, {@link Number}, {@link Boolean}, enums (their
 * lower-case name) and {@code null}. The kernel gives plugins no JSON library, and the API's
 * documents are small trees, so a tree writer is all it needs.
 */
final class JsonWriter {

    private JsonWriter() {
    }

    /** {@code value} as one line of JSON. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case CharSequence text -> string(text, out);
            case Boolean bool -> out.append(bool.booleanValue());
            case Double number -> finite(number.isNaN() || number.isInfinite() ? null : number, out);
            case Float number -> finite(number.isNaN() || number.isInfinite() ? null : number, out);
            case Number number -> out.append(number);
            case Enum<?> constant -> string(constant.name().toLowerCase(java.util.Locale.ROOT), out);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            }
            case Collection<?> list -> {
                out.append('[');
                boolean first = true;
                for (Object item : list) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(item, out);
                }
                out.append(']');
            }
            default -> string(value.toString(), out);
        }
    }

    /** JSON has no NaN or infinity: they are written {@code null}. */
    private static void finite(Number number, StringBuilder out) {
        out.append(number == null ? "null" : number.toString());
    }

    private static void string(CharSequence text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        // U+2028/2029 are valid JSON but break JavaScript that embeds it.
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
