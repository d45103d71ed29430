/**
 * The access log: formatted and written off the event loops; drops (and counts) rather than wait.
 * Also the diagnostics log's set-up ({@link io.luagate.kernel.log.StderrLogConfigurator}).
 */
package io.luagate.kernel.log;
