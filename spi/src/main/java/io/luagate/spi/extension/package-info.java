/**
 * Plugins that extend the kernel as a whole: script engines, admin APIs.
 *
 * <h2>What an extension may inject</h2>
 * Every extension class (of any extension point: {@code Codec}, {@code BalancerFactory},
 * {@code UpstreamPoolFactory}, {@code TlsTerminator}, {@link io.luagate.spi.extension.Extension})
 * is made once per generation of the configuration (at start, then at each reload; an
 * {@link io.luagate.spi.extension.Extension} that lives for the process, once) by the kernel's Guice injector, through its public no-argument
 * constructor or the one marked {@code @jakarta.inject.Inject}. It may ask for these SPI
 * services, and nothing else of the kernel:
 * <ul>
 *   <li>{@link io.luagate.spi.sample.SampleLibrary}: every fetch and converter by name, compiled
 *       (the instance {@link io.luagate.spi.extension.ExtensionContext#samples()} gives). At
 *       construction it knows the kernel's names; names other plugins add are known once every
 *       extension is configured.</li>
 *   <li>{@link io.luagate.spi.pattern.PatternFiles}: the configuration's map and ACL files (the
 *       instance {@link io.luagate.spi.extension.ExtensionContext#patterns()} gives).</li>
 * </ul>
 * It may also ask for classes of its own plugin, which are made the same way and may ask for the
 * same. Asking for anything else (a kernel class, a JDK type, an SPI type not listed here) leaves
 * the plugin out, with one line naming its jar and the type; so does a constructor that throws.
 * Other plugins still load, and luagate then refuses to start until the plugin is fixed or removed.
 */
package io.luagate.spi.extension;
