package io.luagate.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MainTest {

    private String guice;
    private String magazines;

    @BeforeEach
    void keep() {
        guice = System.getProperty(Main.GUICE_BYTECODE);
        magazines = System.getProperty(Main.NETTY_SHARED_MAGAZINES);
    }

    @AfterEach
    void restore() {
        put(Main.GUICE_BYTECODE, guice);
        put(Main.NETTY_SHARED_MAGAZINES, magazines);
    }

    private static void put(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    @Test
    void theEventLoopsKeepNettyMagazinesOfTheirOwnAtAnyHeapUnlessTheUserSaysOtherwise() {
        System.clearProperty(Main.NETTY_SHARED_MAGAZINES);
        System.clearProperty(Main.GUICE_BYTECODE);
        Main.defaultProperties();
        assertEquals("false", System.getProperty(Main.NETTY_SHARED_MAGAZINES));
        assertEquals("DISABLED", System.getProperty(Main.GUICE_BYTECODE));

        System.setProperty(Main.NETTY_SHARED_MAGAZINES, "true");
        System.setProperty(Main.GUICE_BYTECODE, "ENABLED");
        Main.defaultProperties();
        assertEquals("true", System.getProperty(Main.NETTY_SHARED_MAGAZINES));
        assertEquals("ENABLED", System.getProperty(Main.GUICE_BYTECODE));
    }
}
