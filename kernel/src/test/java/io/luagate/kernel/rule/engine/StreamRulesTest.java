package io.luagate.kernel.rule.engine;

import static io.luagate.spi.rule.RuleList.BACKEND_HTTP_AFTER_RESPONSE;
import static io.luagate.spi.rule.RuleList.FRONTEND_HTTP_AFTER_RESPONSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.filter.FilterInstance;
import io.luagate.spi.rule.ProxySide;
import io.luagate.spi.rule.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's inline lists (http-after-response) and its filter attachment. */
class StreamRulesTest {

    private final EngineFixture fx = new EngineFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void anInlineListRunsToItsEndOrToAllowOrStop() {
        fx.add(FRONTEND_HTTP_AFTER_RESPONSE, "a", Verdict.WAIT);
        fx.add(FRONTEND_HTTP_AFTER_RESPONSE, "b", Verdict.CONTINUE);
        assertTrue(fx.engine.runToEnd(FRONTEND_HTTP_AFTER_RESPONSE, fx.txn));
        assertEquals(List.of("a", "b"), fx.called);

        fx.called.clear();
        fx.add(BACKEND_HTTP_AFTER_RESPONSE, "c", Verdict.ALLOW);
        fx.add(BACKEND_HTTP_AFTER_RESPONSE, "d", Verdict.CONTINUE);
        assertTrue(fx.engine.runToEnd(BACKEND_HTTP_AFTER_RESPONSE, fx.txn));
        assertEquals(List.of("c"), fx.called);
    }

    @Test
    void anInlineListFailsOnAnActionThatThrowsOrWaits() {
        fx.add(FRONTEND_HTTP_AFTER_RESPONSE, "a", txn -> {
            throw new IllegalArgumentException("a rewrite the response cannot take");
        });
        fx.add(FRONTEND_HTTP_AFTER_RESPONSE, "b", Verdict.CONTINUE);
        assertFalse(fx.engine.runToEnd(FRONTEND_HTTP_AFTER_RESPONSE, fx.txn));
        assertEquals(List.of("a"), fx.called);

        fx.called.clear();
        fx.add(BACKEND_HTTP_AFTER_RESPONSE, "c", Verdict.PENDING);
        fx.add(BACKEND_HTTP_AFTER_RESPONSE, "d", Verdict.CONTINUE);
        assertFalse(fx.engine.runToEnd(BACKEND_HTTP_AFTER_RESPONSE, fx.txn));
        assertEquals(List.of("c"), fx.called);
    }

    @Test
    void filtersAttachInOrderAndOneThatCannotIsSkipped() {
        FilterInstance first = new FilterInstance() { };
        FilterInstance last = new FilterInstance() { };
        fx.filters.put(ProxySide.BACKEND, List.of(
                txn -> first,
                txn -> null,
                txn -> {
                    throw new IllegalStateException("cannot set up");
                },
                txn -> last));
        assertTrue(fx.engine.hasFilters(ProxySide.BACKEND));
        assertFalse(fx.engine.hasFilters(ProxySide.FRONTEND));
        List<FilterInstance> into = new ArrayList<>();
        fx.engine.attachFilters(ProxySide.FRONTEND, fx.txn, into);
        assertTrue(into.isEmpty());
        fx.engine.attachFilters(ProxySide.BACKEND, fx.txn, into);
        assertEquals(List.of(first, last), into);
    }
}
