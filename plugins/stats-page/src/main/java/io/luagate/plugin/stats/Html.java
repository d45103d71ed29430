package io.luagate.plugin.stats;

/** Text put into the page: names come from the configuration and must never become markup. */
final class Html {

    private Html() {
    }

    /** Appends {@code text} escaped for an element's content or a quoted attribute value. */
    static StringBuilder text(StringBuilder out, String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out;
    }

    /** {@code text} escaped, as a string. */
    static String escape(String text) {
        return text(new StringBuilder(text.length() + 8), text).toString();
    }
}
