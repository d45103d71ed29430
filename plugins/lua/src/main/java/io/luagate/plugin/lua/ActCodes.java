package io.luagate.plugin.lua;

import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;

/** What an action's {@code act.*} return code means for the rules (HAProxy's ACT_RET_*). */
final class ActCodes {

    /** {@code act.YIELD}: the action runs again later, from the start. */
    static final int YIELD = 2;

    private ActCodes() {
    }

    static Verdict verdict(int code, Transaction txn) {
        boolean http = txn.request() != null;
        boolean response = txn.response() != null;
        return switch (code) {
            case 1 -> Verdict.ALLOW; // STOP: this rule list ends, processing goes on
            case 3 -> reply(txn, http, 500); // ERROR
            case 4 -> Verdict.ALLOW; // DONE
            case 5 -> reply(txn, http, response ? 502 : 403); // DENY
            case 6 -> { // ABORT: no reply
                txn.stream().terminate(TerminationCause.PROXY, response ? StreamPhase.HEADERS : StreamPhase.REQUEST);
                txn.stream().session().channel().close();
                yield Verdict.STOP;
            }
            case 7 -> reply(txn, http, response ? 502 : 400); // INVALID
            default -> Verdict.CONTINUE;
        };
    }

    private static Verdict reply(Transaction txn, boolean http, int status) {
        txn.stream().terminate(TerminationCause.PROXY, txn.response() != null ? StreamPhase.HEADERS : StreamPhase.REQUEST);
        if (http) {
            txn.reply(ErrorPages.forStatus(status));
        } else {
            txn.stream().session().channel().close();
        }
        return Verdict.STOP;
    }
}
