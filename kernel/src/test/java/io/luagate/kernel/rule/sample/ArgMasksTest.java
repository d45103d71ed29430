package io.luagate.kernel.rule.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.spi.sample.ArgMask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgMasksTest {

    /** A keyword added without its HAProxy declaration would take any argument from Lua. */
    @Test
    void everyBuiltinKeywordDeclaresItsArguments() {
        SampleRegistry registry = RuleLanguage.builtin(Path.of("."), Map.of()).registry();
        List<String> fetches = registry.fetchKeywords().stream().filter(k -> ArgMasks.fetch(k) == null).toList();
        List<String> converters = registry.converterKeywords().stream().filter(k -> ArgMasks.converter(k) == null).toList();
        assertEquals(List.of(), fetches);
        assertEquals(List.of(), converters);
    }

    /**
     * HAProxy runs a fetch or converter with whatever the declaration allows (hlua_lua2arg_check),
     * so one whose arguments are all optional must compile without any: Lua's
     * {@code txn.f:req_hdr()} is nil there, not an error.
     */
    @Test
    void keywordsWithOptionalArgumentsCompileWithoutThem() {
        RuleLanguage language = RuleLanguage.builtin(Path.of("."), Map.of());
        SampleRegistry registry = language.registry();
        CompileContext context = new CompileContext(Path.of("."), language.maps(), registry, Set.of(), name -> null);
        List<String> refused = new ArrayList<>();
        for (String keyword : registry.fetchKeywords()) {
            if (ArgMasks.fetch(keyword).mandatory() == 0) {
                try {
                    registry.fetch(keyword).compile(new Args(keyword, List.of(), 1), context);
                } catch (RuleSyntaxException e) {
                    refused.add(e.getMessage());
                }
            }
        }
        for (String keyword : registry.converterKeywords()) {
            if (ArgMasks.converter(keyword).mandatory() == 0) {
                try {
                    registry.converter(keyword).compile(new Args(keyword, List.of(), 1), context);
                } catch (RuleSyntaxException e) {
                    refused.add(e.getMessage());
                }
            }
        }
        assertEquals(List.of(), refused);
    }

    @Test
    void declarationsAreHaproxys() {
        assertEquals(new ArgMask(0, List.of(ArgMask.Type.STR, ArgMask.Type.SINT)), ArgMasks.fetch("req.hdr"));
        assertEquals(new ArgMask(2, List.of(ArgMask.Type.SINT, ArgMask.Type.STR, ArgMask.Type.SINT)), ArgMasks.converter("field"));
        assertEquals(new ArgMask(1, List.of(ArgMask.Type.STR, ArgMask.Type.SINT)), ArgMasks.converter("map_str_int"));
        assertEquals(new ArgMask(1, List.of(ArgMask.Type.STR, ArgMask.Type.STR)), ArgMasks.converter("map_int"));
        assertEquals(new ArgMask(0, List.of()), ArgMasks.converter("bool"));
        assertEquals(new ArgMask(1, List.of(ArgMask.Type.STR)), ArgMasks.fetch("bool"));
        assertNull(ArgMasks.fetch("lua.anything"));
    }
}
