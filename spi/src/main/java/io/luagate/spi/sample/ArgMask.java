package io.luagate.spi.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments a fetch or converter declares, as HAProxy's {@code arg_mask} ({@code ARG2(1,STR,SINT)}):
 * how many are mandatory, and the type of each. Callers that take arguments as typed values (Lua's
 * {@code txn.f:req_hdr("host", 1)}) check them against it before the keyword compiles them.
 *
 * @param mandatory how many of the first arguments must be given
 * @param types     the type of each argument, in order; no more may be given
 */
public record ArgMask(int mandatory, List<Type> types) {

    /** HAProxy's argument types ({@code ARGT_*}), with the names its messages use ({@code arg_type_names}). */
    public enum Type {
        SINT("integer"), STR("string"), IPV4("IPv4 address"), MSK4("IPv4 mask"), IPV6("IPv6 address"),
        MSK6("IPv6 mask"), TIME("delay"), SIZE("size"), FE("frontend"), BE("backend"), TAB("table"),
        SRV("server"), USR("user list"), MAP("map"), REG("regex"), VAR("variable");

        private final String text;

        Type(String text) {
            this.text = text;
        }

        /** The name HAProxy's messages give the type. */
        public String text() {
            return text;
        }
    }

    public ArgMask {
        types = List.copyOf(types);
        if (mandatory < 0 || mandatory > types.size()) {
            throw new IllegalArgumentException("mandatory " + mandatory + " out of 0.." + types.size());
        }
    }

    /** HAProxy's notation without the macro: {@code "1,STR,SINT"} for {@code ARG2(1,STR,SINT)}, {@code "0"} for none. */
    public static ArgMask of(String notation) {
        String[] parts = notation.split(",");
        List<Type> types = new ArrayList<>(parts.length - 1);
        for (int i = 1; i < parts.length; i++) {
            types.add(Type.valueOf(parts[i].trim()));
        }
        return new ArgMask(Integer.parseInt(parts[0].trim()), types);
    }
}
