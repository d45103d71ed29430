/** HAProxy's pattern matching ({@code -m str|beg|end|sub|reg|dir|dom|found|len|int|ip|bool|bin}), compiled once. */
package io.luagate.kernel.rule.match;
