package io.luagate.plugin.lua.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaValue;

/** LuaJ's text of an error ({@code "@file:line message"}) as Lua writes it ({@code "file:line: message"}). */
final class ErrorText {

    private static final Pattern POSITION = Pattern.compile("@?(\\S+:(?:\\d+|\\?)) (?!in )");

    private ErrorText() {
    }

    static LuaValue of(LuaValue message) {
        if (message.isstring()) {
            Matcher m = POSITION.matcher(message.tojstring());
            if (m.lookingAt()) {
                return LuaValue.valueOf(m.group(1) + ": " + message.tojstring().substring(m.end()));
            }
        }
        return message;
    }
}
