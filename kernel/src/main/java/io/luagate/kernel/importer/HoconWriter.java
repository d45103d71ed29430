package io.luagate.kernel.importer;

import java.util.regex.Pattern;

/** Writes a {@link HoconObject} as indented HOCON, every string quoted JSON-style. */
final class HoconWriter {

    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private final StringBuilder out = new StringBuilder();

    static String write(HoconObject root) {
        HoconWriter writer = new HoconWriter();
        writer.members(root, 0);
        return writer.out.toString();
    }

    private void members(HoconObject object, int depth) {
        for (HoconObject.Entry entry : object.entries) {
            comments(entry, depth);
            if (entry.key == null) {
                continue;
            }
            indent(depth);
            out.append(key(entry.key));
            if (entry.value instanceof HoconObject child) {
                out.append(" {\n");
                members(child, depth + 1);
                indent(depth);
                out.append("}\n");
            } else {
                out.append(" = ");
                value(entry.value, depth);
                out.append('\n');
            }
        }
    }

    private void value(Object value, int depth) {
        if (value instanceof HoconObject.Literal literal) {
            out.append(literal.text());
        } else if (value instanceof String text) {
            out.append(quote(text));
        } else if (value instanceof HoconObject.HoconList list) {
            if (list.items.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (HoconObject.Entry item : list.items) {
                comments(item, depth + 1);
                indent(depth + 1);
                value(item.value, depth + 1);
                out.append('\n');
            }
            indent(depth);
            out.append(']');
        } else if (value instanceof HoconObject object) {
            out.append("{\n");
            members(object, depth + 1);
            indent(depth);
            out.append('}');
        }
    }

    private void comments(HoconObject.Entry entry, int depth) {
        for (String comment : entry.comments) {
            for (String line : comment.split("\n", -1)) {
                indent(depth);
                out.append("# ").append(line).append('\n');
            }
        }
    }

    private void indent(int depth) {
        out.append("  ".repeat(depth));
    }

    static String key(String key) {
        return BARE_KEY.matcher(key).matches() ? key : quote(key);
    }

    /** A JSON string, which HOCON reads back to exactly {@code text}. */
    static String quote(String text) {
        StringBuilder q = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
