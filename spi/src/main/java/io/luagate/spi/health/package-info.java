/**
 * Server health: the settings of a server's checks ({@link io.luagate.spi.health.ServerCheckSettings}),
 * what its checks found ({@link io.luagate.spi.health.ServerCheckState}, {@link
 * io.luagate.spi.health.CheckStatus}), the outcomes of its streams the kernel reports for passive
 * checks ({@link io.luagate.spi.health.ObservedOutcome}), and the extension that runs the checks
 * ({@link io.luagate.spi.health.HealthChecker}).
 */
package io.luagate.spi.health;
