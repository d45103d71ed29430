/** HAProxy's userlists: users, groups and crypt(3) password checks for the {@code http_auth} fetches. */
package io.luagate.kernel.rule.auth;
