package io.luagate.kernel.plugin;

/** The kinds of names a plugin provides, in the order {@code luagate plugins} lists them. */
public enum ProvidedKind {
    MODE("mode"),
    BALANCE("balance"),
    ACTION("action"),
    FETCH("fetch"),
    CONVERTER("converter"),
    SERVICE("service"),
    FILTER("filter"),
    CONFIG_SECTION("config section"),
    POOL("pool"),
    TLS("tls"),
    HEALTH_CHECK("health checks");

    private final String label;

    ProvidedKind(String label) {
        this.label = label;
    }

    /** How the configuration and messages call it: {@code balance}, {@code config section}... */
    public String label() {
        return label;
    }
}
