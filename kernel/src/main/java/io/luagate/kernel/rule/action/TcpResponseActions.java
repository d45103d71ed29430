package io.luagate.kernel.rule.action;

import io.luagate.spi.rule.Verdict;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import java.util.Map;

/**
 * The built-in {@code tcp-response content} actions of HAProxy 2.6 that mean something here:
 * {@code accept}, {@code reject}, {@code close}, and the variable and log-level actions.
 */
final class TcpResponseActions {

    private TcpResponseActions() {
    }

    static void register(Map<String, ActionTable.ActionCompiler> actions) {
        actions.put("accept", s -> {
            s.expect(0, 0);
            return txn -> Verdict.ALLOW;
        });
        actions.put("reject", s -> {
            s.expect(0, 0);
            return txn -> {
                // HAProxy logs a refused response as "PD": the proxy stopped it in the data phase.
                txn.stream().terminate(TerminationCause.PROXY, StreamPhase.DATA);
                return Verdict.STOP;
            };
        });
        actions.put("close", s -> {
            s.expect(0, 0);
            return txn -> {
                txn.closeServer();
                return Verdict.ALLOW;
            };
        });
        actions.put("set-var", VarActions::setVar);
        actions.put("set-var-fmt", VarActions::setVarFmt);
        actions.put("unset-var", VarActions::unsetVar);
        actions.put("set-log-level", StreamActions::setLogLevel);
    }
}
