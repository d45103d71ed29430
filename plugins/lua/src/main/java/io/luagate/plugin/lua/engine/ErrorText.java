package io.luagate.plugin.lua.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * LuaJ's text of an error ({@code "@file:line attempt to call nil"}) as Lua 5.3 writes it
 * ({@code "file:line: attempt to call a nil value (global 'f')"}). The error hook runs in the
 * innermost Lua frame before it unwinds, so its function, instruction and registers are at hand.
 */
final class ErrorText {

    private static final Pattern POSITION = Pattern.compile("@?(\\S+:(?:\\d+|\\?)) (?!in )");

    private ErrorText() {
    }

    /** {@code message} raised in the innermost frame of {@code frames}. */
    static LuaValue of(LuaValue message, CallFrames frames) {
        Prototype p = frames.innermostFunction();
        if (p != null && message.isstring()) {
            String text = message.tojstring();
            int pc = frames.innermostPc();
            String line = p.lineinfo != null && pc >= 0 && pc < p.lineinfo.length ? String.valueOf(p.lineinfo[pc]) : "?";
            // LuaJ's prefix (LuaClosure.processErrorHooks): the source as it is, the line, a space.
            String luaj = p.source.tojstring() + ":" + line + " ";
            if (text.startsWith(luaj)) {
                String body = text.substring(luaj.length());
                String reworded = VmErrors.reword(body, p, pc, frames.stack);
                if (reworded == null) {
                    reworded = ArgumentErrors.reword(body, p, pc, frames.stack);
                }
                return LuaValue.valueOf(ChunkId.of(p.source.tojstring()) + ":" + line + ": " + (reworded != null ? reworded : body));
            }
        }
        return of(message);
    }

    /** {@code message} with only its position rewritten, when no frame tells more. */
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
