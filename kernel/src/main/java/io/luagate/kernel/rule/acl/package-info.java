/** ACLs and conditions: {@code acl} definitions, {@code if}/{@code unless} with {@code !}, {@code ||} and anonymous ACLs. */
package io.luagate.kernel.rule.acl;
