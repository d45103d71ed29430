package io.luagate.plugin.runtimeapi;

import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.proxy.Backend;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * HAProxy's {@code add server <bk>/<srv> <addr>[:<port>] [params]*} and {@code del server
 * <bk>/<srv>}, over {@link Backend#addServer} and {@link Backend#removeServer}. The parameters
 * are the keys of a configured server's object, written as HAProxy's server keywords: a flag
 * ({@code backup}, {@code ssl}, {@code check}...) stands alone, any other keyword takes the next
 * word as its value ({@code weight 20}).
 */
final class DynamicServerCommands {

    /** HAProxy's server keywords that take no value, as luagate's server keys (true when written). */
    private static final Set<String> FLAGS = Set.of("backup", "check", "ssl", "disabled", "send-proxy", "send-proxy-v2");

    private final ExtensionRuntime runtime;

    DynamicServerCommands(ExtensionRuntime runtime) {
        this.runtime = runtime;
    }

    void register(CommandTable table) {
        table.add("add server", "add server <bk>/<srv>                   : create a new server", this::add)
                .add("del server", "del server <bk>/<srv>                   : remove a dynamically added server", this::delete);
    }

    /** Backend and server names, with HAProxy's texts (answered without the trailing empty line). */
    private Map.Entry<Backend, String> find(String spec) {
        int slash = spec.indexOf('/');
        if (slash < 0 || slash == spec.length() - 1) {
            throw new CliError("Require 'backend/server'.\n", true);
        }
        Backend backend = runtime.backends().get(spec.substring(0, slash));
        if (backend == null) {
            throw new CliError("No such backend.\n", true);
        }
        return Map.entry(backend, spec.substring(slash + 1));
    }

    private String add(Request r) {
        r.require(Level.ADMIN);
        Map.Entry<Backend, String> target = find(r.arg(2));
        if (r.arg(3).isEmpty()) {
            throw new CliError("'server' expects <name> and <addr>[:<port>] as arguments.\n");
        }
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("address", r.arg(3));
        for (int i = 4; i < r.args().size(); i++) {
            String keyword = r.arg(i);
            if (FLAGS.contains(keyword)) {
                keys.put(keyword, true);
            } else if (keyword.startsWith("no-") && FLAGS.contains(keyword.substring(3))) {
                keys.put(keyword.substring(3), false);
            } else if (i + 1 < r.args().size()) {
                keys.put(keyword, r.arg(++i));
            } else {
                throw new CliError("'" + keyword + "' expects a value.\n");
            }
        }
        try {
            target.getKey().addServer(target.getValue(), keys);
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new CliError(line(e.getMessage()));
        }
        return "New server registered.\n";
    }

    private String delete(Request r) {
        r.require(Level.ADMIN);
        Map.Entry<Backend, String> target = find(r.arg(2));
        try {
            target.getKey().removeServer(target.getValue());
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new CliError(line(e.getMessage()), true);
        }
        r.connection().suppressTrailingLine();
        return "Server deleted.\n";
    }

    private static String line(String message) {
        String text = message == null ? "Internal error." : message;
        return text.endsWith("\n") ? text : text + "\n";
    }
}
