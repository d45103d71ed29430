package io.luagate.kernel.proxy;

import io.luagate.kernel.config.ConfigProblem;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Section;
import io.luagate.kernel.config.Settings;
import io.luagate.kernel.rule.ConfigBytes;
import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.expr.ExprParser;
import io.luagate.kernel.rule.expr.SampleExpr;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.spi.balancer.BalancerContext;
import io.luagate.spi.balancer.HashType;
import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.proxy.Server;
import java.util.List;

/**
 * One backend's balancing as a balancer factory sees it. The per-stream key a factory asks for is
 * compiled here, once, with the rule language; the backend evaluates it for each stream.
 */
final class DefaultBalancerContext implements BalancerContext {

    private final Settings.Backend backend;
    private final List<? extends Server> servers;
    private final Section options;
    private final Problems problems;
    private final CompileContext compile;
    private SampleExpr key;

    /**
     * @param servers the running servers, or none while the configuration is only checked
     * @param compile what sample expressions are compiled with
     */
    DefaultBalancerContext(Settings.Backend backend, List<? extends Server> servers, CompileContext compile,
                           Problems problems) {
        this.backend = backend;
        this.servers = List.copyOf(servers);
        this.compile = compile;
        this.problems = problems;
        this.options = new Section(backend.balancing().options(), "backends." + backend.name(), problems);
    }

    @Override
    public String backend() {
        return backend.name();
    }

    @Override
    public String algorithm() {
        return backend.balancing().algorithm();
    }

    @Override
    public List<String> arguments() {
        return backend.balancing().arguments();
    }

    @Override
    public HashType hashType() {
        return backend.balancing().hashType();
    }

    @Override
    public int hashBalanceFactor() {
        return backend.balancing().hashBalanceFactor();
    }

    /** {@inheritDoc} While the configuration is only checked, none: servers exist once the proxy is built. */
    @Override
    public List<? extends Server> servers() {
        return servers;
    }

    @Override
    public ConfigSection options() {
        return options;
    }

    @Override
    public boolean useKey(String expression) {
        try {
            key = new ExprParser(compile).parse(ConfigBytes.of(expression), 1);
            return true;
        } catch (RuleSyntaxException e) {
            problem("in expression \"" + expression + "\": " + e.getMessage());
            return false;
        }
    }

    @Override
    public void problem(String message) {
        problems.add(new ConfigProblem(backend.balancing().origin(), "backends." + backend.name() + ".balance", message));
    }

    /** The key expression the factory asked for, or {@code null}. */
    SampleExpr key() {
        return key;
    }

    /** Reports the backend's keys that neither the kernel nor the balancer plugin read. */
    void finish() {
        options.finish();
    }
}
