package io.luagate.plugin.lua.api;

import io.luagate.spi.sample.SampleType;
import org.luaj.vm2.LuaError;

/**
 * HAProxy's cast of a Lua value to the input type of a converter ({@code hlua_run_sample_conv}
 * with {@code sample_casts}): a value from Lua is a bool, a sint or a str, and the casts that
 * cannot be made, or that fail on the value, are Lua errors instead of an empty result.
 */
final class InputCast {

    private InputCast() {
    }

    /** Raises HAProxy's error when {@code sample} (from {@link Values#toSample}) cannot become {@code type}. */
    static void check(Object sample, SampleType type) {
        switch (type) {
            case ADDR, IPV4, IPV6, METH -> {
                if (sample instanceof Boolean) {
                    throw new LuaError("invalid input argument: cannot cast 'bool' to '" + type.text() + "'");
                }
                if (sample instanceof String text && type != SampleType.METH
                        && !address(text, type)) {
                    throw failed();
                }
            }
            // c_str2int: an empty string has no integer.
            case SINT, BOOL -> {
                if (sample instanceof String text && text.isEmpty()) {
                    throw failed();
                }
            }
            default -> {
            }
        }
    }

    /** c_str2addr, c_str2ip, c_str2ipv6: the text is an address of the type (addr: either family). */
    private static boolean address(String text, SampleType type) {
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) text.charAt(i);
        }
        boolean v4 = type != SampleType.IPV6 && AddressText.ipv4(bytes, 0, bytes.length, new byte[4], 0);
        return v4 || type != SampleType.IPV4 && AddressText.ipv6(bytes, 0, bytes.length, new byte[16]);
    }

    private static LuaError failed() {
        return new LuaError("error during the input argument casting");
    }
}
