package io.luagate.kernel.importer;

/** A line the tokenizer cannot read (HAProxy would refuse it too). */
final class ConfigSyntaxException extends Exception {

    ConfigSyntaxException(String message) {
        super(message);
    }
}
