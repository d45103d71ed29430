package io.luagate.plugin.lua.api;

import io.luagate.spi.http.FieldValue;
import io.luagate.spi.http.HttpToken;
import org.luaj.vm2.LuaError;

/**
 * The header names and values a script gives luagate to write, checked where the script calls:
 * HAProxy writes any bytes (X-É, a value with CR LF), while luagate's encoders refuse what is no
 * token or holds a control byte, and would only refuse it later, when the message is written, out
 * of the script's sight.
 */
final class HeaderArgs {

    private HeaderArgs() {
    }

    /** {@code name} if it is a token; a Lua error of {@code function} otherwise. */
    static String name(String name, String function) {
        if (!HttpToken.isToken(name)) {
            throw new LuaError("'" + function + "': '" + FieldValue.visible(name) + "' is not a header name "
                    + "(luagate writes token names only; HAProxy would send its bytes)");
        }
        return name;
    }

    /** {@code value} if it holds no control byte but HTAB; a Lua error of {@code function} otherwise. */
    static String value(String name, String value, String function) {
        int at = FieldValue.controlByte(value);
        if (at >= 0) {
            throw new LuaError("'" + function + "': the value of header '" + FieldValue.visible(name)
                    + "' holds the control byte " + String.format("\\x%02X", (int) value.charAt(at))
                    + ", which luagate does not send (HAProxy sends it raw; a NUL cuts the value there)");
        }
        return value;
    }
}
