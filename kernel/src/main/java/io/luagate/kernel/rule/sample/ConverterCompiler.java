package io.luagate.kernel.rule.sample;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.spi.sample.Converter;

/** Turns a converter keyword's arguments into a {@link Converter}, once, at load. */
@FunctionalInterface
public interface ConverterCompiler {

    Converter compile(Args args, CompileContext context) throws RuleSyntaxException;
}
