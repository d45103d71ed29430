package io.luagate.kernel.rule.match;

/**
 * One pattern as written, and where: {@code file:line} for pattern files, the rule's origin for
 * inline values. Carried so that a bad pattern is reported where it was written.
 */
public record Pattern(String text, String origin) {
}
