package io.luagate.plugin.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.luagate.spi.proxy.ServerAdmin;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API's JSON: written as RFC 8259 says, read strictly, and back again. */
class JsonTest {

    @Test
    void writesValuesInTheirOwnOrderWithEscapes() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", "a\"b\\c\n\t\u0001\u2028é");
        doc.put("n", 42L);
        doc.put("x", 1.5);
        doc.put("nan", Double.NaN);
        doc.put("ok", true);
        doc.put("none", null);
        doc.put("state", ServerAdmin.MAINT);
        doc.put("list", Arrays.asList(1, "two", null, List.of()));
        doc.put("empty", Map.of());
        assertEquals("{\"name\":\"a\\\"b\\\\c\\n\\t\\u0001\\u2028é\",\"n\":42,\"x\":1.5,\"nan\":null,\"ok\":true,"
                + "\"none\":null,\"state\":\"maint\",\"list\":[1,\"two\",null,[]],\"empty\":{}}", JsonWriter.write(doc));
    }

    @Test
    void readsEveryKindOfValue() {
        Object value = JsonReader.read(" {\"a\": [1, -2, 3.5, 1e3, 12345678901234567890], \"b\": \"x\\u0041\\n\\/\", "
                + "\"c\": true, \"d\": false, \"e\": null, \"f\": {}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", List.of(1L, -2L, 3.5, 1000.0, 1.2345678901234567E19));
        expected.put("b", "xA\n/");
        expected.put("c", true);
        expected.put("d", false);
        expected.put("e", null);
        expected.put("f", Map.of());
        assertEquals(expected, value);
    }

    @Test
    void whatItWritesItReadsBack() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("text", "quote \" backslash \\ control \u0007 unicode ☃");
        doc.put("numbers", List.of(0L, -7L, Long.MAX_VALUE));
        assertEquals(doc, JsonReader.read(JsonWriter.write(doc)));
    }

    @Test
    void refusesWhatIsNotStrictJsonSayingWhere() {
        for (Map.Entry<String, String> bad : Map.of(
                "{\"a\":1,}", "invalid JSON at offset 7: a name in quotes is expected",
                "{\"a\":1} x", "invalid JSON at offset 8: unexpected 'x' after the document",
                "{\"a\":01}", "invalid JSON at offset 6: '}' expected, not '1'",
                "{\"a\":1,\"a\":2}", "invalid JSON at offset 7: the name \"a\" is repeated",
                "{\"a\":\"x\ny\"}", "invalid JSON at offset 7: a control character must be escaped in a string",
                "{\"a\":tru}", "invalid JSON at offset 5: unexpected 't'",
                "{\"a\":\"\\q\"}", "invalid JSON at offset 7: unknown escape \\q",
                "[1, 2", "invalid JSON at offset 5: ']' expected at the end",
                "", "invalid JSON at offset 0: unexpected end of the document").entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.read(bad.getKey()), bad.getKey());
            assertEquals(bad.getValue(), e.getMessage(), bad.getKey());
        }
    }

    @Test
    void nestingIsBounded() {
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 2) + "]".repeat(JsonReader.MAX_DEPTH + 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.read(deep));
        assertEquals("invalid JSON at offset 33: nested deeper than 32 levels", e.getMessage());
        String fine = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertEquals(List.class.isInstance(JsonReader.read(fine)), true);
    }
}
