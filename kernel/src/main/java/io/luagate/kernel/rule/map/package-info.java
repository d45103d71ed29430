/**
 * Map files and pattern (ACL) files: loaded once at start, shared read-mostly by every event loop,
 * updatable at run time without making look-ups wait.
 */
package io.luagate.kernel.rule.map;
