/**
 * The luagate kernel: boot, wiring and the running proxy.
 *
 * <h2>Generations</h2>
 * A running {@link io.luagate.kernel.Luagate} serves one configuration at a time, a
 * {@code Generation}: the frontends, backends, rules, per-loop balancers and pools, and the
 * extensions (Lua states among them) built from one reading of the configuration file. A reload
 * ({@code SIGHUP}, {@code luagate reload}, an extension's {@code ExtensionRuntime.reload()})
 * reads and checks the whole file first, as a start does, and changes nothing on any problem.
 * Otherwise it builds and starts the next generation, binds its new addresses, hands the sockets
 * of the binds it keeps over without closing them, and makes it current: every new connection,
 * and every keep-alive connection at its next request, goes to it, while streams in flight, tunnels
 * and WebSockets finish where they started. Binds the new configuration dropped close, and their
 * connections drain. A replaced generation is retired once no connection uses it any more
 * ({@code GenerationLease}): its extensions stop, its pools and TLS contexts close, and it is freed.
 * The event loops, connection limit, access log, meters, loaded plugins and the extensions that
 * live for the process stay for the whole process.
 */
package io.luagate.kernel;
