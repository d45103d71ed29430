/** The built-in sample fetches ({@code path}, {@code hdr(name)}, {@code src}, {@code var(name)}...). */
package io.luagate.kernel.rule.fetch;
