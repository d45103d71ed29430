package io.luagate.kernel.rule.sample;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.spi.sample.Fetch;

/** Turns a fetch keyword's arguments into a {@link Fetch}, once, at load. */
@FunctionalInterface
public interface FetchCompiler {

    Fetch compile(Args args, CompileContext context) throws RuleSyntaxException;
}
