package io.luagate.kernel.rule.conv;

import io.luagate.spi.rule.Transaction;
import io.luagate.spi.sample.Samples;

/**
 * The integer argument of an arithmetic or bitwise converter: a constant, or a variable read at
 * each call and cast to an integer (HAProxy's check_operator() and sample_conv_var2smp_sint()).
 */
sealed interface Operand {

    /** The operand's value, or {@code null} when the variable is unset or is not an integer. */
    Long value(Transaction txn);

    /**
     * A variable name if {@code text} is one, else an integer read entirely by read_int64()
     * (so "" is 0 and "99999999999999999999" saturates); {@code null} when it is neither.
     */
    static Operand parse(String text) {
        VarRef var = VarRef.parse(text);
        if (var != null) {
            return new Variable(var);
        }
        Long value = Samples.parseInt64(text);
        return value == null ? null : new Constant(value);
    }

    record Constant(long constant) implements Operand {
        @Override
        public Long value(Transaction txn) {
            return constant;
        }
    }

    record Variable(VarRef var) implements Operand {
        @Override
        public Long value(Transaction txn) {
            Object value = var.get(txn);
            return value == null ? null : Samples.asLong(value);
        }
    }
}
