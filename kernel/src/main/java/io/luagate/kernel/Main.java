package io.luagate.kernel;

import io.luagate.kernel.cli.CommandLineEntry;

/** The entry point of {@code bin/luagate}. */
public final class Main {

    private static final String GUICE_BYTECODE = "guice_bytecode_gen_option";

    private Main() {
    }

    public static void main(String[] args) {
        // Guice then constructs and injects by reflection instead of generating classes with its copy
        // of ASM: some 70 classes fewer for the process's life, at a cost paid while wiring only (no
        // AOP interceptor is bound anywhere). A -Dguice_bytecode_gen_option of the user's is kept.
        if (System.getProperty(GUICE_BYTECODE) == null) {
            System.setProperty(GUICE_BYTECODE, "DISABLED");
        }
        System.exit(CommandLineEntry.execute(args));
    }
}
