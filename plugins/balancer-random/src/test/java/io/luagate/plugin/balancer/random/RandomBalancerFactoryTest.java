package io.luagate.plugin.balancer.random;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.spi.balancer.BalancerContext;
import io.luagate.spi.balancer.HashType;
import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.proxy.Server;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomBalancerFactoryTest {

    private static List<String> problems(String... arguments) {
        List<String> problems = new ArrayList<>();
        BalancerContext context = new BalancerContext() {
            @Override
            public String backend() {
                return "app";
            }

            @Override
            public String algorithm() {
                return "random";
            }

            @Override
            public List<String> arguments() {
                return List.of(arguments);
            }

            @Override
            public HashType hashType() {
                return HashType.DEFAULT;
            }

            @Override
            public int hashBalanceFactor() {
                return 0;
            }

            @Override
            public List<? extends Server> servers() {
                return List.of();
            }

            @Override
            public ConfigSection options() {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean useKey(String expression) {
                throw new UnsupportedOperationException("random hashes nothing");
            }

            @Override
            public void problem(String message) {
                problems.add(message);
            }
        };
        new RandomBalancerFactory().check(context);
        return problems;
    }

    @Test
    void drawsAreCheckedAsHaproxyChecksThem() {
        assertEquals(List.of(), problems());
        assertEquals(List.of(), problems("3"));
        assertEquals(List.of("random: the number of draws must be at least 1 (and at most 1000), not 0"), problems("0"));
        assertEquals(List.of("random: the number of draws must be an integer, not 'two'"), problems("two"));
        assertEquals(List.of("random takes one argument, the number of draws: \"random(2)\""), problems("2", "3"));
    }
}
