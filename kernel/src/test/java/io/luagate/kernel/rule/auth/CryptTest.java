package io.luagate.kernel.rule.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.config.InvalidConfigException;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** crypt(3) as glibc computes it: expected values made with openssl passwd -1/-5/-6 and Python's crypt. */
class CryptTest {

    @Test
    void computesGlibcHashes() {
        for (String[] known : new String[][] {
                {"secret", "$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1"},
                {"pass6", "$6$Zq8fP2$cxGEAo74uGtJoJpqI/KScU.0NyIS7ycLrqe5bPH1gqFQhk92p72WmnFu23M5EW8l.6Ibu/uIO1WfW6jCrJ7xn/"},
                {"secret", "$6$rounds=1000$abc$MqEcPZUYRGGcOeq7PhMpfjfu/F0HrVEI0OlZBijWvO8mSG77iNUDP5MqFceKpJTBc8iITVtNyLiNTRNCxv6oh0"},
                {"secret", "$5$abc$qsg6EHbUzHQzF1POlD7zUwBINSELQxypPaeDcZe6vH0"},
                {"pass5r", "$5$rounds=2000$salty$2Uy4u7NRIVeCIII52dDpHWx07YbyKaHjcY4cgdUJxz9"},
                {"secret", "$1$xy$mkJt1Ht8AivD6sawHd.Cf1"},
                {"pass1", "$1$abcdefgh$m0q1aQBkstxXnfO4M7Gwe0"}}) {
            assertEquals(known[1], Crypt.crypt(known[0], known[1]), known[1]);
            assertTrue(Crypt.matches(known[0], known[1]));
            assertFalse(Crypt.matches(known[0] + "x", known[1]));
        }
        assertNull(Crypt.crypt("x", "$2y$10$abcdefghijklmnopqrstuu"));
        assertNull(Crypt.crypt("x", "abJnggxhB/yWI"));
    }

    @Test
    void userlistRefusesHashesItCannotCheck() {
        Problems problems = new Problems();
        Userlist.compile(new Settings.Userlist("L", Map.of("bob", new Settings.User("bob", "$2y$10$abcdefghijklmnopqrstuu", false,
                List.of(), "t.conf:3")), Map.of(), "t.conf:1"), problems);
        Executable check = problems::throwIfAny;
        String message = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class, check).getMessage();
        assertTrue(message.contains("t.conf:3: userlists.L.users.bob.password: this kind of crypt(3) hash cannot be checked here"),
                message);
    }
}
