package io.luagate.kernel;

import io.luagate.kernel.cli.CommandLineEntry;

/** The entry point of {@code bin/luagate}. */
public final class Main {

    static final String GUICE_BYTECODE = "guice_bytecode_gen_option";
    static final String NETTY_SHARED_MAGAZINES = "io.netty.allocator.disableThreadLocalMagazinesOnLowMemory";

    private Main() {
    }

    public static void main(String[] args) {
        defaultProperties();
        System.exit(CommandLineEntry.execute(args));
    }

    /** The system properties luagate sets for its libraries unless the user set them. */
    static void defaultProperties() {
        // Guice then constructs and injects by reflection instead of generating classes with its copy
        // of ASM: some 70 classes fewer for the process's life, at a cost paid while wiring only (no
        // AOP interceptor is bound anywhere). A -Dguice_bytecode_gen_option of the user's is kept.
        if (System.getProperty(GUICE_BYTECODE) == null) {
            System.setProperty(GUICE_BYTECODE, "DISABLED");
        }
        // Netty's buffer allocator counts a heap of 512 MB or less (-Xmx256m...) as low memory and
        // then gives the event loops no magazines of their own: every loop allocates every buffer
        // from one shared magazine per size, behind its lock, whose lines bounce between the
        // loops' cores (bench/README.md, "Two event loops: where the extra CPU goes"). luagate runs
        // a few loops (global.threads, one per core by default), so it keeps the per-loop
        // magazines Netty gives them above 512 MB. Set before any buffer class loads; a -D of the
        // user's is kept.
        if (System.getProperty(NETTY_SHARED_MAGAZINES) == null) {
            System.setProperty(NETTY_SHARED_MAGAZINES, "false");
        }
    }
}
