package io.luagate.kernel.rule.action;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.expr.SampleExpr;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.sample.Samples;

/**
 * {@code http-request capture <expr> len <n>} and {@code capture <expr> id <n>} (request and
 * response): the sample, as a string cut to the slot's length, goes into a capture slot that the
 * {@code capture.req.hdr(<n>)} and {@code capture.res.hdr(<n>)} fetches read. A sample that is
 * missing leaves the slot as it was. Slots are the frontend's ({@code declare-capture}); rules of a
 * backend have none but those their own {@code len} captures add.
 */
final class CaptureActions {

    private CaptureActions() {
    }

    static Action capture(ActionSyntax syntax) throws RuleSyntaxException {
        syntax.expect(3, 3);
        SampleExpr expr = syntax.expr(0);
        String kind = syntax.word(1).text();
        long number = number(syntax);
        boolean response = syntax.side() == Side.RESPONSE;
        int slot;
        int length;
        if (kind.equals("len") && !response) {
            if (number <= 0) {
                throw syntax.error("len must be a positive integer, got " + number);
            }
            length = (int) Math.min(number, Integer.MAX_VALUE);
            slot = syntax.captures().allocate(length);
        } else if (kind.equals("id")) {
            if (!syntax.captures().exists(number)) {
                throw syntax.error("id " + number + ": no " + (response ? "response" : "request")
                        + " capture slot with this id (declare it in the frontend's declare-capture"
                        + (response ? "" : ", or with an earlier 'capture <expr> len <n>'") + ")");
            }
            slot = (int) number;
            length = syntax.captures().length(slot);
        } else {
            throw syntax.error("expects 'len <length>'" + (response ? "" : " or 'id <slot>'") + " after the sample, got '"
                    + kind + "'");
        }
        int cut = length;
        return txn -> {
            Object value = expr.eval(txn);
            String text = value == null ? null : Samples.asString(value);
            if (text != null) {
                txn.stream().capture(response, slot, text.length() > cut ? text.substring(0, cut) : text);
            }
            return Verdict.CONTINUE;
        };
    }

    private static long number(ActionSyntax syntax) throws RuleSyntaxException {
        String text = syntax.word(2).text();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw syntax.error("expects an integer after '" + syntax.word(1).text() + "', got '" + text + "'");
        }
    }
}
