package io.luagate.plugin.runtimeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.spi.extension.ReloadResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code reload} answers, which {@code luagate reload} prints and parses. */
class ReloadCommandTest {

    @Test
    void successNamesTheNewGenerationAndItsNotes() {
        assertEquals("Success=1\nGeneration=3\nlisteners kept: 2\n",
                ReloadCommand.answer(ReloadResult.succeeded(3, List.of("listeners kept: 2"))));
    }

    @Test
    void refusalListsOneProblemALineAndNoEmptyLine() {
        assertEquals("Success=0\n/etc/luagate.conf:4: frontends.fe.nonsense: unknown key\na b\n",
                ReloadCommand.answer(ReloadResult.refused(1,
                        List.of("/etc/luagate.conf:4: frontends.fe.nonsense: unknown key", "a\nb"))));
    }
}
