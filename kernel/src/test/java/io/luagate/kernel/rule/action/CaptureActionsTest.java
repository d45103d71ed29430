package io.luagate.kernel.rule.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.rule.RuleCompiler;
import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.map.Maps;
import io.luagate.kernel.rule.sample.CompileContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code capture} accepts at load; what it captures is tested end to end (LuaBytesIT). */
class CaptureActionsTest {

    private static List<String> problems(Side side, String... rules) {
        Path home = Path.of(".");
        RuleLanguage language = RuleLanguage.builtin(home, Map.of());
        RuleCompiler compiler = new RuleCompiler(new CompileContext(home, new Maps(home), language.registry()),
                language.actions());
        Problems problems = new Problems();
        compiler.actions(List.of(rules).stream().map(r -> new Settings.Rule(r, "t.conf:3")).toList(), side, Map.of(),
                "frontends.fe.http-request", problems);
        return problems.list().stream().map(Object::toString).toList();
    }

    @Test
    void slotsAreDeclaredByLenAndFilledById() {
        assertEquals(List.of(), problems(Side.REQUEST, "capture req.hdr(x) len 4", "capture req.hdr(y) id 0"));
        List<String> before = problems(Side.REQUEST, "capture req.hdr(y) id 0", "capture req.hdr(x) len 4");
        assertEquals(1, before.size());
        assertTrue(before.get(0).contains("no request capture slot with this id"), before.get(0));
        assertTrue(problems(Side.REQUEST, "capture req.hdr(x) len 0").get(0).contains("len must be a positive integer"));
        assertTrue(problems(Side.REQUEST, "capture req.hdr(x) size 4").get(0).contains("expects 'len <length>' or 'id <slot>'"));
        assertTrue(problems(Side.RESPONSE, "capture res.hdr(x) id 0").get(0).contains("no response capture slot"));
        assertTrue(problems(Side.RESPONSE, "capture res.hdr(x) len 3").get(0).contains("expects 'len <length>' after"));
    }

    @Test
    void declarationsNumberSlotsPerDirection() throws Exception {
        CaptureSlots request = new CaptureSlots();
        CaptureSlots response = new CaptureSlots();
        CaptureSlots.declare("request len 20", request, response);
        CaptureSlots.declare("response  len 5", request, response);
        CaptureSlots.declare("request len 3", request, response);
        assertTrue(request.exists(1) && !request.exists(2) && response.exists(0) && !response.exists(1));
        assertEquals(3, request.length(1));
        assertEquals(5, response.length(0));
        assertThrows(RuleSyntaxException.class, () -> CaptureSlots.declare("request len 0", request, response));
        assertThrows(RuleSyntaxException.class, () -> CaptureSlots.declare("header len 3", request, response));
        assertThrows(RuleSyntaxException.class, () -> CaptureSlots.declare("request header len 3", request, response));
        CaptureSlots.declare("request header host len 30", request, response);
        assertEquals(30, request.length(2));
        List<io.luagate.spi.rule.Action> rules = List.of();
        assertEquals(1, request.withHeaderCaptures(rules).size());
        assertEquals(0, response.withHeaderCaptures(rules).size());
    }
}
