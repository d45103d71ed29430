package io.luagate.kernel.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads the user's HOCON file over the kernel's {@code reference.conf}. Environment variables
 * override keys as typesafe-config allows: {@code ${?VAR}} substitutions in the file, and
 * {@code CONFIG_FORCE_global_threads=4} style overrides (see typesafe-config's documentation).
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** Loads and validates {@code file}; {@code home} anchors relative paths such as {@code plugins.dir}. */
    public static Settings load(Path file, Path home) {
        return SettingsReader.read(merged(file), file.toString(), home);
    }

    /**
     * Loads {@code file} for {@code luagate check}: its problems go to {@code problems} and the
     * settings that could be read are returned, or {@code null} when the file cannot be parsed at all.
     */
    public static Settings check(Path file, Path home, Problems problems) {
        Config config;
        try {
            config = merged(file);
        } catch (InvalidConfigException e) {
            e.problems().forEach(problems::add);
            return null;
        }
        return SettingsReader.read(config, file.toString(), home, problems);
    }

    /** The settings of an empty configuration file with plugins from {@code pluginsDir}: what {@code plugins} lists. */
    public static Settings withoutFile(Path pluginsDir, Path home) {
        Config config = ConfigFactory.parseMap(java.util.Map.of("plugins.dir", pluginsDir.toString()), "luagate plugins -d")
                .withFallback(ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf"))
                .resolve();
        // Without a file there is no frontend: that is no problem for a listing.
        return SettingsReader.read(config, "(no configuration file)", home, new Problems());
    }

    /** The user's file over the references, with environment overrides, resolved. */
    public static Config merged(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException(List.of(new ConfigProblem(file.toString(), "", "configuration file not found")));
        }
        try {
            Config user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            Config reference = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf");
            return ConfigFactory.systemEnvironmentOverrides()
                    .withFallback(user)
                    .withFallback(reference)
                    .resolve(ConfigResolveOptions.defaults());
        } catch (ConfigException e) {
            String message = e.getMessage();
            String origin = e.origin() == null ? file.toString() : ConfigProblem.describe(e.origin());
            if (e.origin() != null && message.startsWith(e.origin().description() + ": ")) {
                message = message.substring(e.origin().description().length() + 2);
            }
            throw new InvalidConfigException(List.of(new ConfigProblem(origin, "", message)));
        }
    }
}
