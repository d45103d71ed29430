package io.luagate.plugin.runtimeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Words as HAProxy 2.6's cli_parse_request cuts them. */
class CommandLineTest {

    @Test
    void blanksSeparateWords() {
        assertEquals(List.of("show", "backend"), CommandLine.words("  show \t  backend  "));
        assertEquals(List.of(), CommandLine.words(""));
        assertEquals(List.of(), CommandLine.words(" \t "));
    }

    @Test
    void aBackslashKeepsTheNextCharacterInTheWord() {
        assertEquals(List.of("set", "map", "m", "a b", "c;d"), CommandLine.words("set map m a\\ b c\\;d"));
        assertEquals(List.of("x\\y"), CommandLine.words("x\\\\y"));
        assertEquals(List.of("xy"), CommandLine.words("x\\y"));
        assertEquals(List.of("end"), CommandLine.words("end\\"));
    }

    @Test
    void aTrailingDoubleLessThanStartsThePayload() {
        assertEquals(List.of("add", "map", "#0"), CommandLine.words("add map #0 <<"));
        assertTrue(CommandLine.announcesPayload("add map #0 <<"));
        assertFalse(CommandLine.announcesPayload("add map #0 << x"));
        assertEquals(List.of("add", "map", "<<x"), CommandLine.words("add map <<x"));
    }

    @Test
    void wordsBeyondHaproxysLimitAreIgnored() {
        String line = "w ".repeat(70);
        assertEquals(CommandLine.MAX_ARGS, CommandLine.words(line).size());
    }

    @Test
    void strtolReadsAsC() {
        assertEquals(new Strtol(12, 2), Strtol.parse("12abc"));
        assertEquals(new Strtol(-5, 3), Strtol.parse(" -5"));
        assertEquals(new Strtol(0, 0), Strtol.parse("abc"));
        assertEquals(new Strtol(0, 0), Strtol.parse("-"));
        assertEquals(Long.MAX_VALUE, Strtol.parse("99999999999999999999999").value());
    }
}
