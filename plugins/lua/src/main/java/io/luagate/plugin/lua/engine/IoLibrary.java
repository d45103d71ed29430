package io.luagate.plugin.lua.engine;

import io.luagate.plugin.lua.lib.LuaArgs;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua 5.3's {@code io} library, in place of LuaJ's: the same functions, methods, results and
 * error texts ({@code nil, "name: No such file or directory", 2}), over {@link LuaFile}s whose
 * blocking work {@link FileWorkers} places where blocking is allowed. HAProxy opens the whole
 * standard library and keeps {@code io} at run time; scripts read files in actions and services
 * (an ACME challenge served from a webroot), so luagate does too, without blocking a loop.
 * {@code io.popen} runs a process, which at run time stays refused.
 */
final class IoLibrary {

    private final FileWorkers workers;
    private final LuaTable fileMeta = new LuaTable();
    private final LuaValue stdin;
    private final LuaValue stdout;
    private final LuaValue stderr;
    private LuaValue input;
    private LuaValue output;

    private IoLibrary(FileWorkers workers) {
        this.workers = workers;
        LuaTable methods = new LuaTable();
        methods.set("close", function("close", a -> close(a.arg1(), "close")));
        methods.set("flush", function("flush", a -> flush(checkFile(a, 1, "flush"), "flush")));
        methods.set("lines", function("lines", a -> lines(checkFile(a, 1, "lines"), a.subargs(2), false, "lines")));
        methods.set("read", function("read", a -> read(checkFile(a, 1, "read"), a.subargs(2), "read")));
        methods.set("seek", function("seek", this::seek));
        methods.set("setvbuf", function("setvbuf", a -> {
            checkFile(a, 1, "setvbuf");
            String mode = LuaArgs.jstring(LuaArgs.checkString(a, 2, "setvbuf"));
            if (!Set.of("no", "full", "line").contains(mode)) {
                throw LuaArgs.argError(1, "setvbuf", "invalid option '" + mode + "'");
            }
            return LuaValue.TRUE;
        }));
        methods.set("write", function("write", a -> write(a.arg1(), checkFile(a, 1, "write"), a.subargs(2), "write")));
        fileMeta.set(LuaValue.INDEX, methods);
        fileMeta.set("__name", "FILE*");
        fileMeta.set(LuaValue.TOSTRING, function("tostring", a -> {
            LuaFile file = (LuaFile) a.arg1().checkuserdata(LuaFile.class);
            return LuaValue.valueOf(file.closed() ? "file (closed)"
                    : "file (0x" + Integer.toHexString(System.identityHashCode(file)) + ")");
        }));
        stdin = wrap(new LuaFile(Channels.newChannel(new FileInputStream(FileDescriptor.in)), null, null,
                Channels.newChannel(new FileInputStream(FileDescriptor.in)), true, null));
        stdout = wrap(standardOutput(FileDescriptor.out));
        stderr = wrap(standardOutput(FileDescriptor.err));
        input = stdin;
        output = stdout;
    }

    /** The {@code io} table of one state (each state has its own default input and output). */
    static LuaTable create(FileWorkers workers) {
        IoLibrary lib = new IoLibrary(workers);
        LuaTable io = new LuaTable();
        io.set("close", function("close", a -> lib.close(a.isnoneornil(1) ? lib.output : a.arg1(), "close")));
        io.set("flush", function("flush", a -> lib.flush(lib.file(lib.output, "flush"), "flush")));
        io.set("input", function("input", a -> lib.input = lib.redirect(a, "r", lib.input, "input")));
        io.set("output", function("output", a -> lib.output = lib.redirect(a, "w", lib.output, "output")));
        io.set("lines", function("lines", lib::ioLines));
        io.set("open", function("open", lib::open));
        io.set("popen", function("popen", lib::popen));
        io.set("read", function("read", a -> lib.read(lib.file(lib.input, "read"), a, "read")));
        io.set("tmpfile", function("tmpfile", a -> lib.tmpfile()));
        io.set("type", function("type", a -> {
            if (a.narg() < 1) {
                throw LuaArgs.argError(1, "type", "value expected");
            }
            LuaValue v = a.arg1();
            if (!(v instanceof LuaUserdata u) || !(u.userdata() instanceof LuaFile file)) {
                return LuaValue.NIL;
            }
            return LuaValue.valueOf(file.closed() ? "closed file" : "file");
        }));
        io.set("write", function("write", a -> lib.write(lib.output, lib.file(lib.output, "write"), a, "write")));
        io.set("stdin", lib.stdin);
        io.set("stdout", lib.stdout);
        io.set("stderr", lib.stderr);
        return io;
    }

    private static LuaFile standardOutput(FileDescriptor fd) {
        WritableByteChannel channel = Channels.newChannel(new FileOutputStream(fd));
        return new LuaFile(null, channel, null, channel, true, null);
    }

    private LuaValue wrap(LuaFile file) {
        return new LuaUserdata(file, fileMeta);
    }

    // ---- io functions ------------------------------------------------------------------------

    private Varargs open(Varargs a) {
        String name = LuaArgs.jstring(LuaArgs.checkString(a, 1, "open"));
        String mode = LuaArgs.jstring(LuaArgs.optString(a, 2, "open", LuaValue.valueOf("r")));
        if (!mode.matches("[rwa]\\+?b*")) {
            throw LuaArgs.argError(2, "open", "invalid mode");
        }
        try {
            return wrap(workers.run("io.open", () -> openFile(name, mode)));
        } catch (IOException e) {
            return failure(name, e);
        }
    }

    private LuaFile openFile(String name, String mode) throws IOException {
        // Relative to the process's directory, as HAProxy's fopen() resolves it.
        Path path = Path.of(name);
        boolean update = mode.indexOf('+') >= 0;
        Set<StandardOpenOption> options = EnumSet.noneOf(StandardOpenOption.class);
        boolean readable = mode.charAt(0) == 'r' || update;
        boolean writable = mode.charAt(0) != 'r' || update;
        if (readable) {
            options.add(StandardOpenOption.READ);
        }
        switch (mode.charAt(0)) {
            case 'w' -> options.addAll(Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING));
            case 'a' -> options.addAll(update ? Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                    : Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
            default -> {
                if (update) {
                    options.add(StandardOpenOption.WRITE);
                }
            }
        }
        if (Files.isDirectory(path) && writable) {
            throw new FileSystemException(name, null, "Is a directory");
        }
        return LuaFile.regular(FileChannel.open(path, options), readable, writable, update && mode.charAt(0) == 'a');
    }

    private Varargs popen(Varargs a) {
        String command = LuaArgs.jstring(LuaArgs.checkString(a, 1, "popen"));
        String mode = LuaArgs.jstring(LuaArgs.optString(a, 2, "popen", LuaValue.valueOf("r")));
        if (!mode.equals("r") && !mode.equals("w")) {
            throw LuaArgs.argError(2, "popen", "invalid mode");
        }
        LuaState state = LuaState.CURRENT.get();
        if (state != null && state.started) {
            throw new LuaError("io.popen is not allowed at run time (a process would escape the Lua limits; run it at init)");
        }
        try {
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command);
            if (mode.equals("r")) {
                builder.redirectInput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
                Process process = builder.start();
                ReadableByteChannel channel = Channels.newChannel(process.getInputStream());
                return wrap(new LuaFile(channel, null, null, channel, false, process));
            }
            builder.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
            Process process = builder.start();
            WritableByteChannel channel = Channels.newChannel(process.getOutputStream());
            return wrap(new LuaFile(null, channel, null, channel, false, process));
        } catch (IOException e) {
            return failure(command, e);
        }
    }

    private Varargs tmpfile() {
        try {
            return wrap(workers.run("io.tmpfile", () -> {
                Path file = Files.createTempFile("lua", null);
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.DELETE_ON_CLOSE);
                return LuaFile.regular(channel, true, true, false);
            }));
        } catch (IOException e) {
            return failure(null, e);
        }
    }

    /** {@code io.input(x)} / {@code io.output(x)}: a name opens a file, a file is taken, nothing reads. */
    private LuaValue redirect(Varargs a, String mode, LuaValue current, String fname) {
        LuaValue v = a.arg1();
        if (v.isnil()) {
            return current;
        }
        if (v.isstring()) {
            String name = LuaArgs.jstring(v);
            try {
                return wrap(workers.run("io." + fname, () -> openFile(name, mode)));
            } catch (IOException e) {
                throw new LuaError("cannot open file '" + name + "' (" + reason(e) + ")");
            }
        }
        checkFile(a, 1, fname);
        return v;
    }

    private Varargs ioLines(Varargs a) {
        if (a.isnoneornil(1)) {
            return lines(file(input, "lines"), a.subargs(2), false, "lines");
        }
        String name = LuaArgs.jstring(LuaArgs.checkString(a, 1, "lines"));
        LuaFile file;
        try {
            file = workers.run("io.lines", () -> openFile(name, "r"));
        } catch (IOException e) {
            throw new LuaError("cannot open file '" + name + "' (" + reason(e) + ")");
        }
        return lines(file, a.subargs(2), true, "lines");
    }

    // ---- file methods ------------------------------------------------------------------------

    private Varargs close(LuaValue v, String fname) {
        LuaFile file = checkFile(LuaValue.varargsOf(new LuaValue[] {v}), 1, fname);
        if (file.standard) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("cannot close standard file"));
        }
        try {
            int status = workers.run("io.close", file::close);
            return status == 0 ? LuaValue.TRUE
                    : LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("exit"), LuaValue.valueOf(status));
        } catch (IOException e) {
            return failure(null, e);
        }
    }

    private Varargs flush(LuaFile file, String fname) {
        try {
            if (file.standard) {
                return LuaValue.TRUE;
            }
            workers.run("io." + fname, () -> {
                file.flush();
                return null;
            });
            return LuaValue.TRUE;
        } catch (IOException e) {
            return failure(null, e);
        }
    }

    private Varargs seek(Varargs a) {
        LuaFile file = checkFile(a, 1, "seek");
        String whence = LuaArgs.jstring(LuaArgs.optString(a, 2, "seek", LuaValue.valueOf("cur")));
        int w = switch (whence) {
            case "set" -> 0;
            case "cur" -> 1;
            case "end" -> 2;
            default -> throw LuaArgs.argError(1, "seek", "invalid option '" + whence + "'");
        };
        long offset = LuaArgs.optInteger(a, 3, "seek", 0);
        try {
            return LuaArgs.integer(workers.run("io.seek", () -> file.seek(w, offset)));
        } catch (IOException e) {
            return failure(null, e);
        }
    }

    /**
     * {@code write(values...)}. Argument numbers in errors are counted as for a method call
     * ({@code f:write(x)}: x is #1), the way Lua words them for the usual spelling.
     */
    private Varargs write(LuaValue self, LuaFile file, Varargs values, String fname) {
        for (int i = 1; i <= values.narg(); i++) {
            LuaValue v = values.arg(i);
            if (!v.isstring()) {
                throw LuaArgs.typeError(values, i, fname, "string");
            }
        }
        byte[] bytes = concat(values);
        try {
            if (file.standard) {
                workers.writeDetached("io.write", file, bytes);
            } else {
                workers.run("io.write", () -> {
                    file.write(bytes);
                    return null;
                });
            }
            return self;
        } catch (IOException e) {
            return failure(null, e);
        }
    }

    private static byte[] concat(Varargs values) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 1; i <= values.narg(); i++) {
            LuaValue v = values.arg(i);
            LuaString s = v.type() == LuaValue.TNUMBER ? LuaValue.valueOf(v.tojstring()) : v.strvalue();
            out.write(s.m_bytes, s.m_offset, s.m_length);
        }
        return out.toByteArray();
    }

    /**
     * {@code read(formats...)}: each format reads one value; the first that finds nothing gives
     * nil and ends the list, as Lua 5.3's g_read does. All formats of one call share one trip to
     * the I/O pool.
     */
    private Varargs read(LuaFile file, Varargs formats, String fname) {
        int n = Math.max(1, formats.narg());
        Object[] specs = new Object[n];
        for (int i = 0; i < n; i++) {
            specs[i] = format(formats, i + 1, fname);
        }
        try {
            LuaValue[] values = workers.run("io.read", () -> readAll(file, specs));
            return LuaValue.varargsOf(values);
        } catch (IOException e) {
            return failure(null, e);
        }
    }

    /** A format: a Long byte count, or the letter of n, l, L, a. */
    private static Object format(Varargs formats, int i, String fname) {
        LuaValue f = formats.arg(i);
        if (formats.narg() == 0) {
            return 'l';
        }
        if (f.type() == LuaValue.TNUMBER) {
            return LuaArgs.checkInteger(formats, i, fname);
        }
        if (!f.isstring()) {
            throw LuaArgs.argError(i, fname, "invalid format");
        }
        String s = LuaArgs.jstring(f);
        if (s.startsWith("*")) {
            s = s.substring(1);
        }
        if (s.isEmpty() || "nlLa".indexOf(s.charAt(0)) < 0) {
            throw LuaArgs.argError(i, fname, "invalid format");
        }
        return s.charAt(0);
    }

    private static LuaValue[] readAll(LuaFile file, Object[] specs) throws IOException {
        LuaValue[] values = new LuaValue[specs.length];
        int i = 0;
        for (; i < specs.length; i++) {
            LuaValue v = readOne(file, specs[i]);
            values[i] = v;
            if (v.isnil()) {
                i++;
                break;
            }
        }
        return java.util.Arrays.copyOf(values, i);
    }

    private static LuaValue readOne(LuaFile file, Object spec) throws IOException {
        if (spec instanceof Long count) {
            if (count == 0) {
                return file.atEnd() ? LuaValue.NIL : LuaValue.EMPTYSTRING;
            }
            byte[] bytes = file.read(count);
            return bytes.length == 0 ? LuaValue.NIL : LuaValue.valueOf(bytes);
        }
        return switch ((char) spec) {
            case 'a' -> LuaValue.valueOf(file.read(Long.MAX_VALUE));
            case 'l', 'L' -> {
                byte[] line = file.readLine((char) spec == 'L');
                yield line == null ? LuaValue.NIL : LuaValue.valueOf(line);
            }
            default -> NumeralReader.read(file);
        };
    }

    /** {@code file:lines(...)} and {@code io.lines(name, ...)}: an iterator; the latter closes its file at the end. */
    private Varargs lines(LuaFile file, Varargs formats, boolean closeAtEnd, String fname) {
        if (formats.narg() > 250) {
            throw LuaArgs.argError(252, fname, "too many arguments");
        }
        Varargs saved = LuaValue.varargsOf(copy(formats));
        return function("lines", a -> {
            if (file.closed()) {
                throw new LuaError("file is already closed");
            }
            Varargs values = read(file, saved, "lines");
            if (values.arg1().isnil() && values.narg() > 1) {
                throw new LuaError(LuaArgs.jstring(values.arg(2)));
            }
            if (values.arg1().isnil() && closeAtEnd) {
                try {
                    workers.run("io.lines", file::close);
                } catch (IOException e) {
                    throw new LuaError(reason(e));
                }
            }
            return values;
        });
    }

    private static LuaValue[] copy(Varargs v) {
        LuaValue[] values = new LuaValue[v.narg()];
        for (int i = 0; i < values.length; i++) {
            values[i] = v.arg(i + 1);
        }
        return values;
    }

    // ---- helpers -----------------------------------------------------------------------------

    private LuaFile checkFile(Varargs a, int arg, String fname) {
        LuaValue v = a.arg(arg);
        if (!(v instanceof LuaUserdata u) || !(u.userdata() instanceof LuaFile file)) {
            throw LuaArgs.typeError(a, arg, fname, "FILE*");
        }
        if (file.closed()) {
            throw new LuaError("attempt to use a closed file");
        }
        return file;
    }

    /** The default input or output, which must still be open ("standard input file is closed"). */
    private LuaFile file(LuaValue v, String fname) {
        LuaFile file = (LuaFile) ((LuaUserdata) v).userdata();
        if (file.closed()) {
            throw new LuaError("standard " + (v == input ? "input" : "output") + " file is closed");
        }
        return file;
    }

    /** Lua 5.3's luaL_fileresult for a failure: nil, "[name: ]reason", errno. */
    private static Varargs failure(String name, IOException e) {
        String reason = reason(e);
        return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(name == null ? reason : name + ": " + reason),
                LuaValue.valueOf(errno(reason)));
    }

    /** The C library's strerror text for what Java reports, so scripts that match on it still do. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String message = e.getMessage();
        if (message != null && message.contains("Is a directory")) {
            return "Is a directory";
        }
        return message == null ? "Input/output error" : message;
    }

    private static int errno(String reason) {
        return switch (reason) {
            case "No such file or directory" -> 2;
            case "Permission denied" -> 13;
            case "Not a directory" -> 20;
            case "Is a directory" -> 21;
            case "Invalid argument" -> 22;
            case "Illegal seek" -> 29;
            case "Bad file descriptor" -> 9;
            case "Resource temporarily unavailable (the Lua file I/O queue is full)" -> 11;
            default -> 5;
        };
    }

    private interface Body {
        Varargs call(Varargs args);
    }

    private static VarArgFunction function(String name, Body body) {
        return new VarArgFunction() {
            {
                this.name = name;
            }

            @Override
            public Varargs invoke(Varargs args) {
                return body.call(args);
            }
        };
    }
}
