package io.luagate.kernel.proxy;

/** Which plugin provides a configured feature, for "plugin missing" messages. */
final class Features {

    private Features() {
    }

    static String pluginForMode(String mode) {
        return mode;
    }

    static String pluginForBalance(String algorithm) {
        return "balancer-" + algorithm;
    }

    static final String POOL_PLUGIN = "pool";

    static final String TLS_PLUGIN = "tls";
}
