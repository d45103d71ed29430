package io.luagate.plugin.balancer.hash;

import io.luagate.spi.balancer.BalancerContext;
import io.luagate.spi.balancer.HashType;
import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.proxy.Server;
import io.luagate.testkit.BalancedServer;
import java.util.ArrayList;
import java.util.List;

/** A backend's balancing as the kernel would describe it, recording the key asked for and the problems. */
final class RecordingContext implements BalancerContext {

    final String algorithm;
    final List<String> arguments;
    final List<String> problems = new ArrayList<>();
    String key;

    RecordingContext(String algorithm, String... arguments) {
        this.algorithm = algorithm;
        this.arguments = List.of(arguments);
    }

    @Override
    public String backend() {
        return "app";
    }

    @Override
    public String algorithm() {
        return algorithm;
    }

    @Override
    public List<String> arguments() {
        return arguments;
    }

    @Override
    public HashType hashType() {
        return HashType.DEFAULT;
    }

    @Override
    public int hashBalanceFactor() {
        return 0;
    }

    @Override
    public List<? extends Server> servers() {
        return List.of(new BalancedServer("a", 1), new BalancedServer("b", 1));
    }

    @Override
    public ConfigSection options() {
        throw new UnsupportedOperationException("the hash plugin reads no key of its own");
    }

    @Override
    public boolean useKey(String expression) {
        key = expression;
        return true;
    }

    @Override
    public void problem(String message) {
        problems.add(message);
    }
}
