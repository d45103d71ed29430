package io.luagate.plugin.lua.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua's {@code print}: the arguments through {@code tostring}, tab-separated, one line on the
 * standard output. LuaJ's writes synchronously, which on an event loop waits for whatever reads
 * the process's output; this one hands the line to the io library's console writer, which
 * queues it in order at run time and never makes the caller wait.
 */
final class Print extends VarArgFunction {

    private final Globals globals;
    private final FileWorkers files;
    private final LuaFile stdout;

    Print(Globals globals, FileWorkers files, LuaFile stdout) {
        this.globals = globals;
        this.files = files;
        this.stdout = stdout;
        this.name = "print";
    }

    @Override
    public Varargs invoke(Varargs args) {
        LuaValue tostring = globals.get("tostring");
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int i = 1; i <= args.narg(); i++) {
            LuaValue s = tostring.call(args.arg(i));
            if (!s.isstring()) {
                // Lua 5.3's luaL_tolstring says it so; LuaJ's tostring passes any value through.
                throw new LuaError("'__tostring' must return a string");
            }
            if (i > 1) {
                line.write('\t');
            }
            LuaString bytes = s.strvalue();
            line.write(bytes.m_bytes, bytes.m_offset, bytes.m_length);
        }
        line.write('\n');
        try {
            files.writeConsole("print", stdout, line.toByteArray());
        } catch (IOException e) {
            throw new LuaError("print: " + IoLibrary.reason(e));
        }
        return NONE;
    }
}
