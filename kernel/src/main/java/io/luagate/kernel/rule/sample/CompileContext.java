package io.luagate.kernel.rule.sample;

import io.luagate.kernel.rule.map.Maps;
import java.nio.file.Path;

/**
 * What compiling a rule may use: the directory files are relative to, and the maps and pattern
 * files loaded so far (each file is loaded once and shared by every rule that names it).
 *
 * @param home     relative file names ({@code map(geo.map)}, {@code -f ips.lst}) resolve against it
 * @param maps     the map and pattern files
 * @param registry the fetches and converters known, by keyword
 */
public record CompileContext(Path home, Maps maps, SampleRegistry registry) {
}
