package io.luagate.kernel.rule.action;

import io.luagate.kernel.rule.RuleSyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * The capture slots of one direction of a frontend, numbered from 0 in the order they are added
 * (its {@code declare-capture} lines, then each {@code http-request capture <expr> len <n>}), each
 * with its length; {@code capture <expr> id <n>} fills one and keeps at most its length.
 */
public final class CaptureSlots {

    private final List<Integer> lengths = new ArrayList<>();

    /**
     * Adds a frontend's {@code declare-capture} line ({@code request len 20}, HAProxy's
     * {@code declare capture request len 20}) to {@code request} or {@code response}.
     */
    public static void declare(String line, CaptureSlots request, CaptureSlots response) throws RuleSyntaxException {
        String[] words = line.trim().split("\\s+");
        if (words.length != 3 || !words[1].equals("len") || !(words[0].equals("request") || words[0].equals("response"))) {
            throw new RuleSyntaxException(1, "expected 'request len <length>' or 'response len <length>', got '" + line + "'");
        }
        long length;
        try {
            length = Long.parseLong(words[2]);
        } catch (NumberFormatException e) {
            length = 0;
        }
        if (length <= 0 || length > Integer.MAX_VALUE) {
            throw new RuleSyntaxException(1, "len must be a positive integer, got '" + words[2] + "'");
        }
        (words[0].equals("request") ? request : response).allocate((int) length);
    }

    /** A new slot of {@code length} bytes; its id. */
    int allocate(int length) {
        lengths.add(length);
        return lengths.size() - 1;
    }

    boolean exists(long id) {
        return id >= 0 && id < lengths.size();
    }

    int length(int id) {
        return lengths.get(id);
    }
}
