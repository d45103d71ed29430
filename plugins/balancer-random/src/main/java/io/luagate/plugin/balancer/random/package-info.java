/** {@code balance = "random(N)"}: the least loaded of N weighted random draws, as HAProxy. */
package io.luagate.plugin.balancer.random;
