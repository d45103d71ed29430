package io.luagate.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The level of this SPI, a semantic version (the build's {@code luagate.spi.level}). The kernel
 * loads a plugin only when the plugin's {@code Plugin-Requires} expression (PF4J's, for example
 * {@code >=1.0.0 & <2.0.0}) accepts it: the minor grows with additions, the major with changes
 * that break plugins built before.
 */
public final class SpiLevel {

    private static final String RESOURCE = "/io/luagate/spi/spi-level.properties";
    private static final String CURRENT = read();

    private SpiLevel() {
    }

    /** The level of the SPI on the class path, for example {@code 1.0.0}. */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = SpiLevel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the SPI jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            String level = properties.getProperty("level", "");
            if (!level.matches("\\d+\\.\\d+\\.\\d+")) {
                // An unfiltered resource (an IDE build that skipped Maven's filtering) must not pass for a level.
                throw new IllegalStateException(RESOURCE + " holds no semantic version: '" + level + "'");
            }
            return level;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
