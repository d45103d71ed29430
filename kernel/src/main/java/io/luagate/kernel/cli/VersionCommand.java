package io.luagate.kernel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code luagate version}. */
@Command(name = "version", description = "Print luagate's version.")
public final class VersionCommand implements Callable<Integer>, IVersionProvider {

    /** The version this kernel was built as. */
    public static String version() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("/io/luagate/kernel/version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public Integer call() {
        System.out.println("luagate " + version() + " (Java " + Runtime.version() + ")");
        return 0;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"luagate " + version()};
    }
}
