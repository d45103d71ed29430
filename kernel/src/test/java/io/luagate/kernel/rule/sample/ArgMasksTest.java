package io.luagate.kernel.rule.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.luagate.kernel.rule.RuleLanguage;
import io.luagate.spi.sample.ArgMask;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
