package io.luagate.spi.pattern;

/**
 * One entry of a map or ACL file.
 *
 * @param ref   a number unique in the process, kept for the entry's life (a new value included):
 *              what HAProxy's runtime API prints as the entry's pointer and takes back as
 *              {@code #<ref>}
 * @param key   the key (a map) or the pattern (an ACL file)
 * @param value the value (a map), or {@code null} (an ACL file)
 */
public record PatternEntry(long ref, String key, String value) {
}
