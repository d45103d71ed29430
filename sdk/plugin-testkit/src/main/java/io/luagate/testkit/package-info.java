/**
 * Testing a luagate plugin as it runs: {@link io.luagate.testkit.LuagateUnderTest} starts a real
 * kernel in the test's JVM with the plugin's built jar and the shipped plugins a test names, loaded
 * from a plugins directory by PF4J; {@link io.luagate.testkit.RecordingUpstream} is a real HTTP
 * server that says which server answered. Everything listens on 127.0.0.1 on free ports.
 *
 * <p>The jars are handed over by luagate-plugin-parent's failsafe run through two system
 * properties, {@value io.luagate.testkit.PluginJars#PLUGIN_JAR} (the plugin's packaged jar) and
 * {@value io.luagate.testkit.PluginJars#PLUGINS_DIR} (the other plugins' jars).
 */
package io.luagate.testkit;
