package io.luagate.kernel.rule.acl;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code if|unless <terms>}: terms are ACL names or anonymous ACLs in braces
 * ({@code { path_beg /api }}), each optionally negated with {@code !}; consecutive terms must all
 * hold; {@code ||} or {@code or} separates alternatives.
 */
public final class ConditionParser {

    private final AclCompiler compiler;
    private final Map<String, List<Acl>> named;

    /** @param named the proxy's ACLs by name (a name defined several times has several definitions) */
    public ConditionParser(AclCompiler compiler, Map<String, List<Acl>> named) {
        this.compiler = compiler;
        this.named = named;
    }

    /**
     * @param words  the words after {@code if} / {@code unless}
     * @param unless whether the keyword was {@code unless}
     */
    public Condition parse(List<Word> words, boolean unless, String origin, String ruleText) throws RuleSyntaxException {
        if (words.isEmpty()) {
            throw new RuleSyntaxException(0, "'" + (unless ? "unless" : "if") + "' needs a condition");
        }
        List<Condition.Term[]> alternatives = new ArrayList<>();
        List<Condition.Term> current = new ArrayList<>();
        int i = 0;
        while (i < words.size()) {
            Word word = words.get(i);
            String text = word.text();
            if (text.equals("||") || text.equals("or")) {
                if (current.isEmpty()) {
                    throw new RuleSyntaxException(word.column(), "'" + text + "' needs a condition on each side");
                }
                alternatives.add(current.toArray(Condition.Term[]::new));
                current = new ArrayList<>();
                i++;
                continue;
            }
            // Any number of '!', standalone or glued to the ACL ("!acl", "!!acl", "! {", "!{").
            boolean negated = false;
            while (text.startsWith("!")) {
                negated = !negated;
                if (text.length() > 1) {
                    text = text.substring(1);
                    word = new Word(text, word.column() + 1);
                } else {
                    i++;
                    if (i >= words.size()) {
                        throw new RuleSyntaxException(word.column(), "'!' must be followed by an ACL");
                    }
                    word = words.get(i);
                    text = word.text();
                }
            }
            if (text.equals("{")) {
                int close = i + 1;
                while (close < words.size() && !words.get(close).text().equals("}")) {
                    close++;
                }
                if (close >= words.size()) {
                    throw new RuleSyntaxException(word.column(), "'{' without a matching '}'");
                }
                List<Word> definition = words.subList(i + 1, close);
                String anonymous = "{ " + String.join(" ", definition.stream().map(Word::text).toList()) + " }";
                current.add(new Condition.Term(new Acl[] {compiler.compile(anonymous, definition, origin)}, negated));
                i = close + 1;
                continue;
            }
            if (text.equals("}")) {
                throw new RuleSyntaxException(word.column(), "'}' without a matching '{'");
            }
            current.add(new Condition.Term(resolve(word, origin), negated));
            i++;
        }
        if (current.isEmpty()) {
            throw new RuleSyntaxException(words.get(words.size() - 1).column(), "the condition ends with an operator");
        }
        alternatives.add(current.toArray(Condition.Term[]::new));
        return new Condition(alternatives.toArray(Condition.Term[][]::new), unless, ruleText);
    }

    private Acl[] resolve(Word word, String origin) throws RuleSyntaxException {
        List<Acl> acls = named.get(word.text());
        if (acls != null) {
            return acls.toArray(Acl[]::new);
        }
        Acl predefined = compiler.predefined(word.text(), origin);
        if (predefined != null) {
            return new Acl[] {predefined};
        }
        throw new RuleSyntaxException(word.column(), "unknown ACL '" + word.text() + "'");
    }
}
