package io.luagate.plugin.lua.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * An open file of Lua's {@code io} library, buffered as C's stdio buffers a {@code FILE*}: Lua
 * reads a line or a few bytes at a time, and each trip to the I/O pool costs a suspension, so
 * reads fill a buffer and writes collect in one. Every method blocks and runs where blocking is
 * allowed (the I/O pool at run time, the loading thread at init); they are synchronized because
 * a stream that ends while its call waits leaves the pool's work to finish after the call is gone.
 */
final class LuaFile {

    private static final int BUFFER = 8192;

    /** What the file reads from, writes to and seeks in; for a regular file all three are one channel. */
    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private final SeekableByteChannel seekable;
    private final Channel channel;
    /** The standard streams cannot be closed from Lua (Lua 5.3: "cannot close standard file"). */
    final boolean standard;
    /** A process started by {@code io.popen}, waited for at close. */
    private final Process process;
    /**
     * Mode "a+": every write goes to the end, as O_APPEND makes it, while reads may seek
     * anywhere (Java refuses READ with APPEND, so the position moves to the end before writing).
     */
    private boolean appendOnWrite;

    private final ByteBuffer readBuffer = ByteBuffer.allocate(BUFFER).flip();
    private final ByteArrayOutputStream writeBuffer = new ByteArrayOutputStream();
    private boolean eof;
    private volatile boolean closed;

    LuaFile(ReadableByteChannel in, WritableByteChannel out, SeekableByteChannel seekable, Channel channel,
            boolean standard, Process process) {
        this.in = in;
        this.out = out;
        this.seekable = seekable;
        this.channel = channel;
        this.standard = standard;
        this.process = process;
    }

    static LuaFile regular(java.nio.channels.FileChannel channel, boolean readable, boolean writable, boolean appendOnWrite) {
        LuaFile file = new LuaFile(readable ? channel : null, writable ? channel : null, channel, channel, false, null);
        file.appendOnWrite = appendOnWrite;
        return file;
    }

    boolean closed() {
        return closed;
    }

    boolean writable() {
        return out != null;
    }

    // ---- reading -----------------------------------------------------------------------------

    /** The next byte, or -1 at the end of the file. */
    synchronized int read() throws IOException {
        if (!readBuffer.hasRemaining() && !fill()) {
            return -1;
        }
        return readBuffer.get() & 0xff;
    }

    /** Gives back the byte {@link #read()} returned last (one byte, as C's ungetc guarantees). */
    synchronized void unread() {
        readBuffer.position(readBuffer.position() - 1);
    }

    /** Up to {@code max} bytes; fewer only at the end of the file. */
    synchronized byte[] read(long max) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (bytes.size() < max) {
            if (!readBuffer.hasRemaining() && !fill()) {
                break;
            }
            int n = (int) Math.min(readBuffer.remaining(), max - bytes.size());
            bytes.write(readBuffer.array(), readBuffer.position(), n);
            readBuffer.position(readBuffer.position() + n);
            bounded(bytes.size());
        }
        return bytes.toByteArray();
    }

    /** A line with its end ({@code keepEnd}) or without; {@code null} at the end of the file. */
    synchronized byte[] readLine(boolean keepEnd) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean any = false;
        while (readBuffer.hasRemaining() || fill()) {
            any = true;
            int b = readBuffer.get() & 0xff;
            if (b == '\n') {
                if (keepEnd) {
                    line.write(b);
                }
                return line.toByteArray();
            }
            line.write(b);
            if (!readBuffer.hasRemaining()) {
                bounded(line.size());
            }
        }
        return any ? line.toByteArray() : null;
    }

    /**
     * One value read from a file is a Lua string: it obeys the cap on strings built in one step and
     * the heap budget, so a file without end ({@code /dev/zero}) fails the read with Lua's "not
     * enough memory" instead of filling the heap.
     */
    private static void bounded(long size) {
        if (size > io.luagate.plugin.lua.lib.Lua53Library.maxStringBytes()) {
            throw new org.luaj.vm2.LuaError("not enough memory (one read may not return more than "
                    + (io.luagate.plugin.lua.lib.Lua53Library.maxStringBytes() >> 20) + " MiB)");
        }
        io.luagate.plugin.lua.lib.HeapBudget.reserve(2 * size);
    }

    /** Whether the end of the file was reached (a read of 0 bytes is "" before it, nil after). */
    synchronized boolean atEnd() throws IOException {
        return !readBuffer.hasRemaining() && !fill();
    }

    private boolean fill() throws IOException {
        requireOpen();
        if (in == null) {
            throw new IOException("Bad file descriptor");
        }
        flushWrites();
        if (eof && seekable == null) {
            return false;
        }
        readBuffer.clear();
        int n;
        try {
            n = in.read(readBuffer);
        } finally {
            readBuffer.flip();
        }
        eof = n < 0;
        return n > 0;
    }

    // ---- writing -----------------------------------------------------------------------------

    synchronized void write(byte[] bytes) throws IOException {
        requireOpen();
        if (out == null) {
            throw new IOException("Bad file descriptor");
        }
        discardReadAhead();
        writeBuffer.write(bytes);
        if (writeBuffer.size() >= BUFFER) {
            flushWrites();
        }
    }

    synchronized void flush() throws IOException {
        requireOpen();
        flushWrites();
    }

    private void flushWrites() throws IOException {
        if (writeBuffer.size() == 0) {
            return;
        }
        ByteBuffer data = ByteBuffer.wrap(writeBuffer.toByteArray());
        writeBuffer.reset();
        if (appendOnWrite) {
            seekable.position(seekable.size());
        }
        while (data.hasRemaining()) {
            out.write(data);
        }
    }

    /** Bytes read ahead belong to the file at the logical position: a write starts there. */
    private void discardReadAhead() throws IOException {
        if (readBuffer.hasRemaining() && seekable != null) {
            seekable.position(seekable.position() - readBuffer.remaining());
        }
        readBuffer.clear().flip();
    }

    // ---- position ----------------------------------------------------------------------------

    /** Lua's {@code file:seek}: {@code whence} is 0 (set), 1 (cur) or 2 (end). */
    synchronized long seek(int whence, long offset) throws IOException {
        requireOpen();
        if (seekable == null) {
            throw new IOException("Illegal seek");
        }
        flushWrites();
        long current = seekable.position() - readBuffer.remaining();
        long base = switch (whence) {
            case 0 -> 0;
            case 1 -> current;
            default -> seekable.size();
        };
        long target = base + offset;
        if (target < 0) {
            throw new IOException("Invalid argument");
        }
        readBuffer.clear().flip();
        eof = false;
        seekable.position(target);
        return target;
    }

    // ---- closing -----------------------------------------------------------------------------

    /** Closes the file; for {@code io.popen} returns the process's exit status, else 0. */
    synchronized int close() throws IOException {
        if (closed) {
            return 0;
        }
        try {
            flushWrites();
        } finally {
            closed = true;
            channel.close();
        }
        if (process != null) {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted system call");
            }
        }
        return 0;
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("Bad file descriptor");
        }
    }
}
