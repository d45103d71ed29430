package io.luagate.e2e.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP/2 client connection as bytes, for what no friendly client sends: frames written by hand
 * (header blocks of literal fields, no Huffman, no indexing) and the server's frames read back.
 */
public final class RawH2 implements AutoCloseable {

    public static final int DATA = 0;
    public static final int HEADERS = 1;
    public static final int RST_STREAM = 3;
    public static final int SETTINGS = 4;
    public static final int PING = 6;
    public static final int GOAWAY = 7;
    public static final int CONTINUATION = 9;
    public static final int END_STREAM = 0x1;
    public static final int END_HEADERS = 0x4;

    /** One frame the server sent. */
    public record Frame(int type, int flags, int stream, byte[] payload) {
        /** A GOAWAY's or RST_STREAM's error code. */
        public int errorCode() {
            return ByteBuffer.wrap(payload, type == GOAWAY ? 4 : 0, 4).getInt();
        }

        /** A SETTINGS parameter's value, or -1. */
        public long setting(int id) {
            ByteBuffer in = ByteBuffer.wrap(payload);
            while (in.remaining() >= 6) {
                int key = in.getShort() & 0xffff;
                long value = in.getInt() & 0xffffffffL;
                if (key == id) {
                    return value;
                }
            }
            return -1;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private boolean closed;

    /** Connects and sends the preface and an empty SETTINGS frame. */
    public RawH2(int port) throws IOException {
        this(port, 0);
    }

    /** The same with a socket receive buffer of {@code receiveBuffer} bytes (0: the system's). */
    public RawH2(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        write(concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), frame(SETTINGS, 0, 0, new byte[0])));
    }

    public static byte[] frame(int type, int flags, int stream, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(9 + payload.length);
        frame.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        frame.put((byte) type).put((byte) flags).putInt(stream).put(payload);
        return frame.array();
    }

    /** A GET request's header block, of literal fields without indexing. */
    public static byte[] get(String path) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (String[] header : new String[][] {{":method", "GET"}, {":scheme", "http"}, {":path", path}, {":authority", "x"}}) {
            block.write(0);
            block.write(header[0].length());
            block.writeBytes(header[0].getBytes(StandardCharsets.ISO_8859_1));
            block.write(header[1].length());
            block.writeBytes(header[1].getBytes(StandardCharsets.ISO_8859_1));
        }
        return block.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Writes {@code bytes}; false when the server closed the connection first. */
    public boolean write(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            return true;
        } catch (IOException closedOnUs) {
            return false;
        }
    }

    /** The next frame, or null when the connection closed (or nothing came within {@code millis}). */
    public Frame next(int millis) throws IOException {
        if (closed) {
            return null;
        }
        socket.setSoTimeout(millis);
        try {
            byte[] header = new byte[9];
            in.readFully(header);
            int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | header[2] & 0xff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new Frame(header[3] & 0xff, header[4] & 0xff, ByteBuffer.wrap(header, 5, 4).getInt() & 0x7fffffff, payload);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (EOFException | java.net.SocketException e) {
            closed = true;
            return null;
        }
    }

    /** Frames until one of {@code type} (included), the close, or {@code millis} of silence. */
    public List<Frame> until(int type, int millis) throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (Frame frame; (frame = next(millis)) != null; ) {
            frames.add(frame);
            if (frame.type() == type) {
                break;
            }
        }
        return frames;
    }

    /** Whether the server closed the connection (after reading what it sent, within {@code millis}). */
    public boolean closedWithin(int millis) throws IOException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (!closed && System.nanoTime() < end) {
            next((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
        }
        return closed;
    }

    public static Frame first(List<Frame> frames, int type) {
        return frames.stream().filter(f -> f.type() == type).findFirst().orElse(null);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
