package io.luagate.spi.pattern;

/**
 * One loaded map or ACL file, as HAProxy's {@code show map} and {@code show acl} list them.
 *
 * @param id   its number, unique among the maps and ACL files and given in load order from 0
 *             (HAProxy's {@code #<id>})
 * @param file the file, absolute and normalized: the name every {@link PatternFiles} method takes
 * @param map  whether it is a map (two columns) rather than an ACL file (one column)
 * @param size how many entries it holds now
 */
public record PatternFile(int id, String file, boolean map, int size) {
}
