package io.luagate.kernel.cli;

import io.luagate.kernel.importer.HaproxyImporter;
import io.luagate.kernel.importer.ImportResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code luagate import-haproxy haproxy.cfg [-o luagate.conf]}: the HOCON translation of an HAProxy
 * 2.6 configuration. Exit 0: all translated; 1: some lines were not (listed on stderr, commented
 * out in the output, which is still written); 2: usage error or unreadable file.
 */
@Command(name = "import-haproxy", description = "Translate an HAProxy 2.6 configuration into luagate's.")
final class ImportHaproxyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HAPROXY_CFG", description = "The HAProxy configuration file.")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the translation here (default: stdout).")
    Path output;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(input)) {
            err.println("luagate import-haproxy: " + input + ": no such file");
            err.flush();
            return 2;
        }
        ImportResult result;
        try {
            // HAProxy resolves relative paths from its current directory: so does the translation.
            result = HaproxyImporter.translate(input, Path.of("").toAbsolutePath());
            if (output == null) {
                PrintWriter out = spec.commandLine().getOut();
                out.print(result.hocon());
                out.flush();
            } else {
                Files.writeString(output, result.hocon(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            err.println("luagate import-haproxy: " + e.getMessage());
            err.flush();
            return 2;
        }
        result.unsupported().forEach(err::println);
        err.flush();
        return result.unsupported().isEmpty() ? 0 : 1;
    }
}
