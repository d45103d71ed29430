package io.luagate.kernel.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConfigBytesTest {

    @Test
    void asciiIsKeptAsItIs() {
        String text = "set-header X-A plain";
        assertSame(text, ConfigBytes.of(text));
        assertSame(text, io.luagate.spi.pattern.FileNameBytes.decode(text));
    }

    @Test
    void eachCharacterAboveAsciiBecomesItsUtf8BytesOneCharEach() {
        String text = "caf\u00e9 \u20ac \ud83d\ude42";
        String bytes = ConfigBytes.of(text);
        assertEquals(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), bytes);
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, bytes.length());
    }

    @Test
    void aFileNameIsItsBytesReadAsUtf8() {
        String name = "maps/caf\u00e9-\u20ac.map";
        assertEquals(name, io.luagate.spi.pattern.FileNameBytes.decode(ConfigBytes.of(name)));
    }

    @Test
    void aMessageShowsByteWordsAsTheFilesText() {
        String word = ConfigBytes.of("caf\u00e9 \u20ac");
        assertEquals("unknown action 'caf\u00e9 \u20ac'", ConfigBytes.text("unknown action '" + word + "'"));
        // A byte that is no part of a UTF-8 character (a rule's \xe9) is shown as its escape.
        assertEquals("'x\\xE9y' and '\\xC3'", ConfigBytes.text("'x\u00e9y' and '\u00c3'"));
        // Chars above 0xFF are a message's own text and stay as they are.
        assertEquals("\u2192 caf\u00e9", ConfigBytes.text("\u2192 " + ConfigBytes.of("caf\u00e9")));
        String ascii = "no backend named 'x'";
        assertSame(ascii, ConfigBytes.text(ascii));
    }
}
