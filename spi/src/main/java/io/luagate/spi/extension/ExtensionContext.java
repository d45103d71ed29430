package io.luagate.spi.extension;

import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.pattern.PatternFiles;
import io.luagate.spi.sample.SampleLibrary;
import io.luagate.spi.vocabulary.Vocabulary;
import java.nio.file.Path;

/** What an {@link Extension} receives while it is configured. */
public interface ExtensionContext {

    /**
     * The extension's configuration section over its defaults; present (possibly empty) even when
     * the user's file does not mention it.
     */
    ConfigSection config();

    /** Where the rule language takes new names. */
    Vocabulary vocabulary();

    /** Every fetch and converter, built-in or from a plugin, by name. */
    SampleLibrary samples();

    /** The configuration's map and ACL files. */
    PatternFiles patterns();

    /** The distribution's home: relative paths in the configuration are resolved against it. */
    Path home();

    /** How many event loops will run ({@code global.threads}, resolved). */
    int eventLoops();

    /** Whether this is {@code luagate check}: nothing will run after the configuration is checked. */
    boolean checkOnly();
}
