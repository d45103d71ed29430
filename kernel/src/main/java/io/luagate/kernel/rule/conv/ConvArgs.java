package io.luagate.kernel.rule.conv;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.spi.sample.Samples;

/**
 * Reads converter arguments with HAProxy's rules (make_arg_list() in src/arg.c): integers are read
 * entirely by read_int64(), an empty optional argument counts as absent but ends the list.
 */
final class ConvArgs {

    private ConvArgs() {
    }

    /** A converter without arguments: {@code lower} and {@code lower()} only. */
    static void none(Args args) throws RuleSyntaxException {
        if (args.count() > 1 || (args.count() == 1 && !args.all().get(0).isEmpty())) {
            throw args.error("takes no argument");
        }
    }

    /** Fails unless there are at most {@code max} arguments, the first {@code min} being present. */
    static void count(Args args, int min, int max) throws RuleSyntaxException {
        if (args.count() > max) {
            throw args.error("takes at most " + max + " argument(s), got " + args.count());
        }
        if (args.count() < min) {
            throw args.error("missing arguments (got " + args.count() + "/" + min + ")");
        }
    }

    /** A mandatory integer argument. */
    static long integer(Args args, int index) throws RuleSyntaxException {
        Long value = optionalInteger(args, index);
        if (value == null) {
            throw args.error("argument " + (index + 1) + " must be an integer, it is missing or empty");
        }
        return value;
    }

    /**
     * An optional integer argument: {@code null} when absent or empty. As in HAProxy, an empty
     * optional argument ends the list, so none may follow it ({@code http_date(,ms)} is an error).
     */
    static Long optionalInteger(Args args, int index) throws RuleSyntaxException {
        if (index >= args.count()) {
            return null;
        }
        String text = args.all().get(index);
        if (text.isEmpty()) {
            if (index + 1 < args.count()) {
                throw args.error("argument " + (index + 1) + " is empty; expected an integer");
            }
            return null;
        }
        Long value = Samples.parseInt64(text);
        if (value == null) {
            throw args.error("failed to parse '" + text + "' as type 'integer' (argument " + (index + 1) + ")");
        }
        return value;
    }

    /** An optional string argument: "" when absent. */
    static String string(Args args, int index) {
        return index < args.count() ? args.all().get(index) : "";
    }

    /** An argument that must name a variable ({@code txn.foo}). */
    static VarRef variable(Args args, int index) throws RuleSyntaxException {
        String text = string(args, index);
        if (text.isEmpty()) {
            throw args.error("missing variable name");
        }
        VarRef var = VarRef.parse(text);
        if (var == null) {
            throw args.error("invalid variable name '" + text + "': it must start with its scope "
                    + "(proc, sess, txn, req or res) and a dot, then contain only letters, digits, '.' and '_'");
        }
        return var;
    }
}
