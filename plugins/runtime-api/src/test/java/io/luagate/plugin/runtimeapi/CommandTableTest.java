package io.luagate.plugin.runtimeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Finding commands, and HAProxy's answers to a line that names none. */
class CommandTableTest {

    private static final String ALWAYS = "  help [<command>]                        : list matching or all commands\n"
            + "  prompt                                  : toggle interactive mode with prompt\n"
            + "  quit                                    : disconnect\n";

    private static CommandTable table() {
        CommandTable table = new CommandTable();
        SessionCommands.register(table);
        table.add("show backend", "show backend                            : list backends in the current running config",
                        r -> "# name\n")
                .add("show info", "show info [desc|json|typed|float]*      : report information about the running process",
                        r -> "info " + r.arg(2) + "\n")
                .add("show map", "show map [@ver] [map]                   : report available maps or dump a map's contents",
                        r -> "")
                .add("add map", "add map [@<ver>] <map> <key> <val>      : add a map entry (payload supported instead of key/val)",
                        r -> r.payload() == null ? "no payload\n" : "payload " + r.payload() + "\n")
                .add("set server", "set server <bk>/<srv> [opts]            : change a server's state, weight, address or ssl",
                        r -> {
                            r.require(Level.ADMIN);
                            return "";
                        })
                .add("boom", "boom                                    : fails", r -> {
                    throw new IllegalStateException("bug");
                });
        return table;
    }

    private static String run(String line, Level level) {
        return table().run(CommandLine.words(line), null, new CliConnection(level));
    }

    @Test
    void aCommandIsFoundByItsFirstWordsAndGetsTheRest() {
        assertEquals("# name\n", run("show backend", Level.USER));
        assertEquals("info typed\n", run("show info typed", Level.USER));
        assertEquals("payload a b\nc d\n", table().run(List.of("add", "map", "#0"), "a b\nc d", new CliConnection(Level.USER)));
    }

    @Test
    void aLevelTooLowIsPermissionDenied() {
        assertEquals("Permission denied\n", run("set server a/b state ready", Level.OPERATOR));
        assertEquals("", run("set server a/b state ready", Level.ADMIN));
    }

    @Test
    void aFailingCommandIsAnInternalError() {
        assertEquals("Internal error.\n", run("boom", Level.ADMIN));
    }

    @Test
    void anEmptyLineListsEveryCommandSorted() {
        assertEquals("Unknown command. Please enter one of the following commands only:\n"
                + "  add map [@<ver>] <map> <key> <val>      : add a map entry (payload supported instead of key/val)\n"
                + "  boom                                    : fails\n"
                + "  operator                                : lower the level of the current CLI session to operator\n"
                + "  set server <bk>/<srv> [opts]            : change a server's state, weight, address or ssl\n"
                + "  show backend                            : list backends in the current running config\n"
                + "  show cli level                          : display the level of the current CLI session\n"
                + "  show info [desc|json|typed|float]*      : report information about the running process\n"
                + "  show map [@ver] [map]                   : report available maps or dump a map's contents\n"
                + "  user                                    : lower the level of the current CLI session to user\n"
                + ALWAYS, run("", Level.ADMIN));
    }

    @Test
    void anUnknownWordAfterAKnownOneProposesTheClosest() {
        // (haproxy) "show foo" proposes show commands whose next word is closest by fingerprint.
        String answer = run("show bakend", Level.ADMIN);
        assertTrue(answer.startsWith("Unknown command, but maybe one of the following ones is a better match:\n"
                + "  show backend                            : list backends in the current running config\n"), answer);
        assertTrue(answer.endsWith(ALWAYS), answer);
    }

    @Test
    void aLoneKnownFirstWordListsItsCommands() {
        assertEquals("Unknown command, but maybe one of the following ones is a better match:\n"
                + "  show backend                            : list backends in the current running config\n"
                + "  show cli level                          : display the level of the current CLI session\n"
                + "  show info [desc|json|typed|float]*      : report information about the running process\n"
                + "  show map [@ver] [map]                   : report available maps or dump a map's contents\n"
                + ALWAYS, run("show", Level.ADMIN));
    }

    @Test
    void helpListsWhatItsWordsMatch() {
        assertTrue(run("help", Level.USER).startsWith("The following commands are valid at this level:\n"
                + "  add map"));
        assertEquals("The following commands are valid at this level:\n"
                + "  set server <bk>/<srv> [opts]            : change a server's state, weight, address or ssl\n"
                + ALWAYS, run("help set", Level.USER));
    }

    @Test
    void fingerprintsCountTransitions() {
        WordFingerprint a = new WordFingerprint();
        a.add("backend");
        WordFingerprint b = new WordFingerprint();
        b.add("backend");
        assertEquals(0, a.distance(b));
        WordFingerprint c = new WordFingerprint();
        c.add("bakend");
        assertTrue(a.distance(c) > 0 && a.distance(c) < 5 * 13 / 2);
    }
}
