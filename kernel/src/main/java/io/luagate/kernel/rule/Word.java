package io.luagate.kernel.rule;

/**
 * One word of a rule after HAProxy's quoting and escaping.
 *
 * @param text   the word's value
 * @param column where it starts in the rule string, 1-based, for error messages
 */
public record Word(String text, int column) {
}
