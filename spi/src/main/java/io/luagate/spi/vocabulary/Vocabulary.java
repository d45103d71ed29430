package io.luagate.spi.vocabulary;

import io.luagate.spi.filter.FilterFactory;
import io.luagate.spi.service.HttpService;
import io.luagate.spi.service.TcpService;
import java.util.Set;

/**
 * The rule language's registries, open to plugins while they are configured: the names added here
 * are usable in every rule, ACL and log-format string, exactly like the built-in ones. Names must
 * not clash with a built-in keyword or another plugin's; a clash is a configuration problem.
 */
public interface Vocabulary {

    /** A sample fetch, usable in expressions, ACLs and {@code %[...]}. */
    void fetch(String keyword, FetchFactory factory);

    /** A converter, usable after any fetch ({@code ,name(args)}). */
    void converter(String keyword, ConverterFactory factory);

    /** An action keyword, allowed in the rule lists of {@code places}. */
    void action(String keyword, Set<ActionPlace> places, ActionFactory factory);

    /** A service for {@code http-request use-service <name>}. */
    void httpService(String name, HttpService service);

    /** A service for {@code tcp-request content use-service <name>}. */
    void tcpService(String name, TcpService service);

    /** A filter for the {@code filter <name> [args]} lines of frontends and backends. */
    void filter(String name, FilterFactory factory);
}
