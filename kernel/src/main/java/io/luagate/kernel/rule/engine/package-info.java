/**
 * The one rule engine: runs a stream's compiled rule lists for its codec, with the call, suspend
 * and resume logic shared by HTTP and content rules ({@link io.luagate.spi.rule.RuleEngine}).
 */
package io.luagate.kernel.rule.engine;
