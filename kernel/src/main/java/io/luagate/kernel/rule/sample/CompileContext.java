package io.luagate.kernel.rule.sample;

import io.luagate.kernel.rule.auth.Userlist;
import io.luagate.kernel.rule.map.Maps;
import io.luagate.spi.proxy.Backend;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What compiling a rule may use: the directory files are relative to, the maps and pattern files
 * (each file is loaded once and shared by every rule that names it), the keywords known, and the
 * backends (by name: checked at load; the objects are resolved once, on first use, because
 * backends and their rules are built together).
 *
 * @param home         relative file names ({@code map(geo.map)}, {@code -f ips.lst}) resolve against it
 * @param maps         the map and pattern files
 * @param registry     the fetches and converters known, by keyword
 * @param backendNames the names of the configured backends
 * @param backends     the running backend of a name, once built
 * @param userlists    the {@code userlists} by name, for {@code http_auth(<list>)}
 */
public record CompileContext(Path home, Maps maps, SampleRegistry registry, Set<String> backendNames,
                             Function<String, Backend> backends, Map<String, Userlist> userlists) {

    /** A context without userlists. */
    public CompileContext(Path home, Maps maps, SampleRegistry registry, Set<String> backendNames,
                          Function<String, Backend> backends) {
        this(home, maps, registry, backendNames, backends, Map.of());
    }

    /** A context without backends (tests of fetches and converters that do not name one). */
    public CompileContext(Path home, Maps maps, SampleRegistry registry) {
        this(home, maps, registry, Set.of(), name -> null);
    }
}
