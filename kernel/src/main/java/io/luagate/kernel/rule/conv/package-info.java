/** HAProxy 2.6's built-in converters ({@code lower}, {@code crc32}, {@code regsub}, ...), compiled once per rule at load. */
package io.luagate.kernel.rule.conv;
