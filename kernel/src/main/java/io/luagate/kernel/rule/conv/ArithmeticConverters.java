package io.luagate.kernel.rule.conv;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.sample.Samples;
import java.util.function.LongBinaryOperator;
import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;

/**
 * Integer operators: {@code add}, {@code sub}, {@code mul}, {@code div}, {@code mod},
 * {@code and}, {@code or}, {@code xor} (each taking an integer or a variable name),
 * {@code neg}, {@code cpl}, and the tests {@code bool}, {@code not}, {@code odd}, {@code even}.
 * Results saturate instead of overflowing; dividing by 0 gives 2^63-1 ({@code div}) or 0
 * ({@code mod}); an unset variable (or one that is not an integer) fails the conversion.
 */
final class ArithmeticConverters {

    private ArithmeticConverters() {
    }

    static void register(SampleRegistry registry) {
        binary(registry, "add", ArithmeticConverters::add);
        binary(registry, "sub", ArithmeticConverters::sub);
        binary(registry, "mul", ArithmeticConverters::mul);
        binary(registry, "div", ArithmeticConverters::div);
        binary(registry, "mod", ArithmeticConverters::mod);
        binary(registry, "and", (a, b) -> a & b);
        binary(registry, "or", (a, b) -> a | b);
        binary(registry, "xor", (a, b) -> a ^ b);
        unary(registry, "neg", a -> a == Long.MIN_VALUE ? Long.MAX_VALUE : -a);
        unary(registry, "cpl", a -> ~a);
        test(registry, "bool", a -> a != 0);
        test(registry, "not", a -> a == 0);
        test(registry, "odd", a -> (a & 1) != 0);
        test(registry, "even", a -> (a & 1) == 0);
    }

    private static void binary(SampleRegistry registry, String keyword, LongBinaryOperator operator) {
        registry.converter(keyword, (args, context) -> {
            Operand operand = operand(args);
            return (txn, input) -> {
                Long a = Samples.asLong(input);
                if (a == null) {
                    return null;
                }
                Long b = operand.value(txn);
                return b == null ? null : operator.applyAsLong(a, b);
            };
        });
    }

    private static void unary(SampleRegistry registry, String keyword, LongUnaryOperator operator) {
        registry.converter(keyword, (args, context) -> {
            ConvArgs.none(args);
            return (txn, input) -> {
                Long a = Samples.asLong(input);
                return a == null ? null : operator.applyAsLong(a);
            };
        });
    }

    private static void test(SampleRegistry registry, String keyword, LongPredicate predicate) {
        registry.converter(keyword, (args, context) -> {
            ConvArgs.none(args);
            return (txn, input) -> {
                Long a = Samples.asLong(input);
                return a == null ? null : predicate.test(a);
            };
        });
    }

    private static Operand operand(Args args) throws RuleSyntaxException {
        ConvArgs.count(args, 0, 1);
        String text = ConvArgs.string(args, 0);
        Operand operand = Operand.parse(text);
        if (operand == null) {
            throw args.error("expects an integer or a variable name, got '" + text + "'");
        }
        return operand;
    }

    /**
     * Saturated addition. HAProxy 2.6.12's arith_add() lacks an "else" and returns 2^63-1 for
     * most sums of two negatives (issue #2216, fixed by b982fc217 and backported to the stable
     * branches); this is the fixed behaviour.
     */
    static long add(long a, long b) {
        if ((a ^ b) >= 0) {
            if (a < 0) {
                if (Long.MIN_VALUE - a > b) {
                    return Long.MIN_VALUE;
                }
            } else if (Long.MAX_VALUE - a < b) {
                return Long.MAX_VALUE;
            }
        }
        return a + b;
    }

    static long sub(long a, long b) {
        if (b == Long.MIN_VALUE) {
            // -b does not exist: add 2^63-1, then the missing 1 unless already saturated.
            long sum = add(a, Long.MAX_VALUE);
            return sum < Long.MAX_VALUE ? sum + 1 : sum;
        }
        return add(a, -b);
    }

    static long mul(long a, long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        if (a == Long.MIN_VALUE && b == -1) {
            return Long.MAX_VALUE;
        }
        long c = a * b;
        if (a != c / b) {
            return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return c;
    }

    static long div(long a, long b) {
        if (b == 0) {
            return Long.MAX_VALUE;
        }
        return a == Long.MIN_VALUE && b == -1 ? Long.MAX_VALUE : a / b;
    }

    static long mod(long a, long b) {
        if (b == 0) {
            return 0;
        }
        return a == Long.MIN_VALUE && b == -1 ? 0 : a % b;
    }
}
