package io.luagate.kernel.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HAProxy 2.6's word syntax; the expected words are what haproxy 2.6.12 printed for each line (.notice). */
class LineTokenizerTest {

    private final LineTokenizer tokenizer = new LineTokenizer(Map.of("V", "val", "Q", "a\"b\\c")::get);

    private List<String> words(String text) throws ConfigSyntaxException {
        return tokenizer.split("haproxy.cfg", 1, text).words();
    }

    private List<String> raw(String text) throws ConfigSyntaxException {
        return tokenizer.split("haproxy.cfg", 1, text).rawWords();
    }

    @Test
    void blanksSeparateWordsAndHashEndsTheLine() throws Exception {
        assertEquals(List.of("http-request", "deny", "if", "bad"), words("  http-request\tdeny  if bad # why"));
        assertEquals(List.of("x"), words("x#comment"));
        assertEquals(List.of(), words("   # only a comment"));
    }

    @Test
    void backslashEscapes() throws Exception {
        assertEquals(List.of("a b#c"), words("a\\ b\\#c"));
        assertEquals(List.of("\\"), words("\\\\"));
        assertEquals(List.of("a\tb", "A"), words("\"a\\tb\" \\x41"));
        assertEquals(List.of("abcdefA"), words("ab\"cd\"ef\\x41"));
    }

    @Test
    void singleQuotesAreLiteralDoubleQuotesExpandVariables() throws Exception {
        assertEquals(List.of("${V}", "val", "${V}", "$V", "val"), words("${V} \"${V}\" '${V}' $V \"$V\""));
        assertEquals(List.of("a\\b"), words("'a\\b'"));
        assertEquals(List.of("q\"x$y"), words("\"q\\\"x\\$y\""));
        assertEquals(List.of("def", "valval", "valx", "[]", "val-x"),
                words("\"${U-def}\" \"$V$V\" \"${V}x\" \"[${UNSET}]\" \"$V-x\""));
        assertEquals(List.of(""), words("\"\""));
    }

    @Test
    void rawWordsKeepTheQuotingWithVariablesExpandedAndEscaped() throws Exception {
        assertEquals(List.of("set-header", "X", "\"a b\"", "'c d'", "e\\ f"), raw("set-header X \"a b\" 'c d' e\\ f"));
        assertEquals(List.of("\"a\\\"b\\\\c\""), raw("\"${Q}\""));
        assertEquals(List.of("a\"b\\c"), words("\"${Q}\""));
    }

    @Test
    void errorsHaproxyReportsToo() {
        assertThrows(ConfigSyntaxException.class, () -> words("\"open"));
        assertThrows(ConfigSyntaxException.class, () -> words("'open"));
        assertThrows(ConfigSyntaxException.class, () -> words("\"$\""));
        assertThrows(ConfigSyntaxException.class, () -> words("\"${W[*]}\""));
    }
}
