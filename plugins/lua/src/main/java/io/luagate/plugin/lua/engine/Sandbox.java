package io.luagate.plugin.lua.engine;

import io.luagate.plugin.lua.lib.LuaArgs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.Bit32Lib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.ResourceFinder;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;
import org.luaj.vm2.lib.jse.JseOsLib;

/**
 * Builds a state's globals by hand instead of LuaJ's standard set, and locks them down once the
 * scripts and their init functions have run: no {@code luajava}, no
 * Java class loading through {@code require}, no bytecode, no environment that escapes the hook;
 * after init no process access, and file access only through an io library that never blocks an
 * event loop, since a blocking call would stall every stream on it.
 */
final class Sandbox {

    /** Functions that block or reach outside the process: fine while loading, refused after. */
    private static final List<String> OS_INIT_ONLY = List.of("execute", "exit", "remove", "rename", "tmpname", "getenv", "setlocale");

    private Sandbox() {
    }

    static Globals create(LuaHook hook, RaisedErrors raised, Path home, List<Path> roots, List<String> prependPath, FileWorkers files) {
        Globals g = new Globals();
        g.load(new JseBaseLib());
        g.load(new PackageLib());
        g.load(new Bit32Lib());
        g.load(new TableLib());
        g.load(new StringLib());
        g.load(new JseMathLib());
        g.load(new JseOsLib());
        LoadState.install(g);
        LuaC.install(g);
        // Lua 5.3's syntax errors ("near 'end'"), LuaJ's compiler underneath.
        g.compiler = SyntaxErrors.INSTANCE;
        g.finder = new RootedFinder(home, roots);
        g.debuglib = hook;

        LuaTable pkg = g.get("package").checktable();
        // One io table, reached the same way by every path (global, package.loaded, require).
        LuaTable io = IoLibrary.create(files);
        g.set("io", io);
        pkg.get("loaded").set("io", io);
        g.set("print", new Print(g, files, (LuaFile) io.get("stdout").checkuserdata(LuaFile.class)));
        LuaTable searchers = pkg.get("searchers").checktable();
        // Keep the preload and Lua searchers; the third one instantiates any Java class by name.
        LuaTable kept = new LuaTable();
        kept.set(1, searchers.get(1));
        kept.set(2, searchers.get(2));
        pkg.set("searchers", kept);
        pkg.set("loadlib", LuaValue.NIL);
        pkg.set("cpath", LuaValue.valueOf(""));
        StringBuilder path = new StringBuilder();
        for (String p : prependPath) {
            path.append(p).append(';');
        }
        for (Path root : roots) {
            path.append(home.relativize(root.toAbsolutePath().normalize()).toString().replace('\\', '/'))
                    .append("/?.lua;");
        }
        pkg.set("path", LuaValue.valueOf(path.isEmpty() ? "?.lua" : path.substring(0, path.length() - 1)));

        LuaValue load = g.get("load");
        g.set("load", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                String mode = LuaArgs.optJstring(args, 3, "t");
                if (mode.indexOf('t') < 0) {
                    return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("attempt to load a binary chunk (binary chunks are refused)"));
                }
                Varargs loaded = load.invoke(LuaValue.varargsOf(new LuaValue[] {args.arg(1), args.arg(2), LuaValue.valueOf("t")},
                        LuaValue.NONE));
                // LuaJ gives a chunk loaded with a table environment no Globals, and so no instruction
                // hook: it would run past every limit. So the chunk is loaded with the state's Globals
                // and its _ENV (the main chunk's one upvalue) then set, as 5.3's load does with env,
                // even to nil; closures it creates inherit the Globals, and the hook with them.
                if (args.narg() >= 4 && loaded.arg1() instanceof LuaClosure chunk && chunk.upValues.length > 0) {
                    chunk.upValues[0].setValue(args.arg(4));
                }
                return loaded;
            }
        });
        LuaValue xpcall = g.get("xpcall");
        g.set("xpcall", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaValue handler = args.arg(2);
                MessageHandler guarded = handler.isfunction() ? new MessageHandler(hook, raised, handler) : null;
                Varargs result = xpcall.invoke(guarded == null ? args
                        : LuaValue.varargsOf(args.arg1(), guarded, args.subargs(3)));
                // LuaJ runs a message handler inside catch (Throwable): a limit that fired in it was
                // swallowed there ("error in error handling"). The call must end all the same.
                LuaCall call = hook.current;
                if (call != null) {
                    call.rethrowAbort();
                }
                // LuaJ returns a non-string error object as it was, and the handler's result only
                // as a string; Lua 5.3 returns what the handler returned.
                if (guarded != null && guarded.ran && !result.arg1().toboolean()) {
                    return LuaValue.varargsOf(LuaValue.FALSE, guarded.result);
                }
                return result;
            }
        });
        g.set("collectgarbage", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                String option = LuaArgs.optJstring(args, 1, "collect");
                return switch (option) {
                    case "count" -> {
                        Runtime rt = Runtime.getRuntime();
                        yield LuaValue.valueOf((rt.totalMemory() - rt.freeMemory()) / 1024.0);
                    }
                    // A full GC of the whole JVM per script call would be a denial of service: ignored.
                    case "collect", "step", "incremental", "generational" -> LuaValue.valueOf(0);
                    case "isrunning" -> LuaValue.TRUE;
                    default -> LuaValue.valueOf(0);
                };
            }
        });
        LuaValue rawset = g.get("rawset");
        g.set("rawset", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                // Bound here, before any script could keep the original in a local: once init is
                // over, rawset(_G, k, v) is reported as _G.k = v is (GlobalWrites).
                LuaState state = LuaState.CURRENT.get();
                if (state != null && state.globalWrites != null && args.arg1() == state.globals
                        && state.globalWrites.rawWrite(args.arg1(), args.arg(2), args.arg(3))) {
                    return args.arg1();
                }
                return rawset.invoke(args);
            }
        });
        LuaTable debug = new LuaTable();
        debug.set("traceback", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaValue message = args.arg1();
                if (!message.isnil() && !message.isstring()) {
                    return message;
                }
                String trace = hook.frames.traceback();
                return LuaValue.valueOf(message.isnil() ? trace : LuaArgs.jstring(message) + "\n" + trace);
            }
        });
        g.set("debug", debug);
        g.set("luajava", LuaValue.NIL);
        return g;
    }

    /**
     * After init: process access becomes an error that says why, new modules cannot be loaded,
     * and globals written from now on are reported once each. The io library stays: its file work
     * moves off the event loops by itself ({@link FileWorkers}).
     */
    static void lockDown(Globals g, Set<String> baseline, GlobalWrites writes) {
        LuaTable os = g.get("os").checktable();
        for (String name : OS_INIT_ONLY) {
            os.set(name, forbidden("os." + name, name.equals("getenv") ? "read the environment at init instead"
                    : "it blocks or affects the whole process"));
        }
        g.set("dofile", forbidden("dofile", "file I/O blocks the event loop; require modules at init"));
        g.set("loadfile", forbidden("loadfile", "file I/O blocks the event loop; require modules at init"));
        ((RootedFinder) g.finder).close();
        LuaValue require = g.get("require");
        LuaTable loaded = g.get("package").get("loaded").checktable();
        g.set("require", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaValue name = args.checkstring(1);
                if (loaded.get(name).isnil()) {
                    throw new LuaError("require('" + LuaArgs.jstring(name) + "') is not allowed at run time: "
                            + "modules are loaded by the script body or an init function");
                }
                return require.invoke(args);
            }
        });
        writes.guard(g, baseline);
    }

    static Set<String> names(LuaTable table) {
        Set<String> names = new HashSet<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = table.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            names.add(LuaArgs.jstring(k));
        }
        return names;
    }

    private static VarArgFunction forbidden(String function, String reason) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                throw new LuaError(function + " is not allowed at run time (" + reason + ")");
            }
        };
    }

    /**
     * An xpcall message handler as Lua 5.3 calls it: with the value raised (not LuaJ's text of
     * it), its result kept whole; and not run at all once a limit ended the call.
     */
    private static final class MessageHandler extends VarArgFunction {

        private final LuaHook hook;
        private final RaisedErrors raised;
        private final LuaValue handler;
        boolean ran;
        LuaValue result = LuaValue.NIL;

        MessageHandler(LuaHook hook, RaisedErrors raised, LuaValue handler) {
            this.hook = hook;
            this.raised = raised;
            this.handler = handler;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaCall call = hook.current;
            if (call != null && call.aborting()) {
                return args;
            }
            result = handler.call(raised.forHandler(args.arg1()));
            ran = true;
            return result;
        }
    }

    /** Opens script files only under the scripts' folders and the prepend-path ones, and only while loading. */
    private static final class RootedFinder implements ResourceFinder {

        private final Path home;
        private final List<Path> roots;
        private volatile boolean open = true;

        RootedFinder(Path home, List<Path> roots) {
            this.home = home;
            this.roots = roots.stream().map(r -> r.toAbsolutePath().normalize()).toList();
        }

        void close() {
            open = false;
        }

        @Override
        public InputStream findResource(String filename) {
            if (!open) {
                return null;
            }
            Path file = home.resolve(filename).toAbsolutePath().normalize();
            for (Path root : roots) {
                if (file.startsWith(root) && Files.isRegularFile(file)) {
                    try {
                        return Files.newInputStream(file);
                    } catch (IOException e) {
                        return null;
                    }
                }
            }
            return null;
        }
    }
}
