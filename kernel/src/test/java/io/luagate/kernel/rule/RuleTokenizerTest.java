package io.luagate.kernel.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleTokenizerTest {

    private static List<String> words(String rule) throws RuleSyntaxException {
        return RuleTokenizer.split(rule).stream().map(Word::text).toList();
    }

    @Test
    void splitsLikeHaproxy() throws RuleSyntaxException {
        assertEquals(List.of("return", "status", "200"), words("  return   status\t200 "));
        assertEquals(List.of("string", "hello world", "x"), words("string \"hello world\" x"));
        assertEquals(List.of("a\"b", "c\\d"), words("\"a\\\"b\" 'c\\d'"));
        assertEquals(List.of("line\n", "tab\t", "A"), words("\"line\\n\" tab\\t \\x41"));
        assertEquals(List.of("ab c"), words("a'b c'"));
        assertEquals(List.of("a b"), words("a\\ b"));
    }

    @Test
    void columnsPointAtEachWord() throws RuleSyntaxException {
        List<Word> words = RuleTokenizer.split("deny  deny_status 403");
        assertEquals(1, words.get(0).column());
        assertEquals(7, words.get(1).column());
        assertEquals(19, words.get(2).column());
    }

    @Test
    void unmatchedQuotesAreErrorsWithTheirColumn() {
        RuleSyntaxException e = assertThrows(RuleSyntaxException.class, () -> RuleTokenizer.split("return string \"oops"));
        assertEquals(15, e.column());
        assertThrows(RuleSyntaxException.class, () -> RuleTokenizer.split("a 'b"));
        assertThrows(RuleSyntaxException.class, () -> RuleTokenizer.split("bad \\xZZ"));
    }

    /** HAProxy reads its file as bytes: {@code café} is five bytes, and {@code \xe9} is one. */
    @Test
    void charactersAboveAsciiBecomeTheirUtf8BytesWhileHexEscapesStayOneByte() throws RuleSyntaxException {
        assertEquals(List.of("caf\u00c3\u00a9", "\u00c3\u00a9\u00e9", "\u00e2\u0082\u00ac", "\u00f0\u009f\u0099\u0082"),
                words("caf\u00e9 \"\u00e9\\xe9\" '\u20ac' \ud83d\ude42"));
        assertEquals(List.of("\\\u00c3\u00a9"), words("\\\u00e9"));
        List<Word> words = RuleTokenizer.split("\u00e9 x");
        assertEquals(3, words.get(1).column(), "a column counts the rule's characters, not the word's bytes");
    }
}
