package io.luagate.kernel.rule.action;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HAProxy's regex replacement: when the regex matches (anywhere) in the input, the whole input
 * becomes the replacement text with {@code \0}..{@code \9} replaced by the match's groups;
 * otherwise the input is left as it is.
 */
final class Substitution {

    private Substitution() {
    }

    static String apply(Pattern regex, String input, String replacement) {
        Matcher m = regex.matcher(input);
        if (!m.find()) {
            return input;
        }
        if (replacement.indexOf('\\') < 0) {
            return replacement;
        }
        StringBuilder out = new StringBuilder(replacement.length() + input.length());
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c == '\\' && i + 1 < replacement.length() && Character.isDigit(replacement.charAt(i + 1))) {
                int group = replacement.charAt(++i) - '0';
                if (group <= m.groupCount() && m.group(group) != null) {
                    out.append(m.group(group));
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
