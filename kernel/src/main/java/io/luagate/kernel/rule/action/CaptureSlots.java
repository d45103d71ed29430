package io.luagate.kernel.rule.action;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * The capture slots of one direction of a frontend, numbered from 0 in the order they are added
 * (its {@code declare-capture} lines, then each {@code http-request capture <expr> len <n>}), each
 * with its length; {@code capture <expr> id <n>} fills one and keeps at most its length. A
 * {@code header} line's slot is filled as the message arrives, before any rule runs.
 */
public final class CaptureSlots {

    private final List<Integer> lengths = new ArrayList<>();
    private final List<Action> headerCaptures = new ArrayList<>();

    /**
     * Adds a frontend's {@code declare-capture} line to its request or response slots:
     * {@code request len 20} (HAProxy's {@code declare capture request len 20}) or
     * {@code request header host len 30} (HAProxy's {@code capture request header host len 30}:
     * the header's last value, as received).
     */
    public static void declare(String line, CaptureSlots requestSlots, CaptureSlots responseSlots)
            throws RuleSyntaxException {
        String[] words = line.trim().split("\\s+");
        boolean header = words.length == 5 && words[1].equals("header");
        if (!(words.length == 3 || header) || !words[words.length - 2].equals("len")
                || !(words[0].equals("request") || words[0].equals("response"))) {
            throw new RuleSyntaxException(1, "expected 'request|response len <length>' or 'request|response header <name> len"
                    + " <length>', got '" + line + "'");
        }
        String lengthText = words[words.length - 1];
        long length;
        try {
            length = Long.parseLong(lengthText);
        } catch (NumberFormatException e) {
            length = 0;
        }
        if (length <= 0 || length > Integer.MAX_VALUE) {
            throw new RuleSyntaxException(1, "len must be a positive integer, got '" + lengthText + "'");
        }
        boolean response = words[0].equals("response");
        CaptureSlots slots = response ? responseSlots : requestSlots;
        int slot = slots.allocate((int) length);
        if (header) {
            String name = words[2];
            int cut = (int) length;
            slots.headerCaptures.add(txn -> {
                HttpHead head = response ? txn.response() : txn.request();
                String value = head == null ? null : head.lastHeader(name);
                if (value != null) {
                    txn.stream().capture(response, slot, value.length() > cut ? value.substring(0, cut) : value);
                }
                return Verdict.CONTINUE;
            });
        }
    }

    /** {@code rules} after the actions that fill the header captures: what runs as the message arrives. */
    public List<Action> withHeaderCaptures(List<Action> rules) {
        if (headerCaptures.isEmpty()) {
            return rules;
        }
        List<Action> all = new ArrayList<>(headerCaptures);
        all.addAll(rules);
        return List.copyOf(all);
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
