package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/2 as bytes, for tests that must send what no friendly client sends: frames built by hand
 * (header blocks of literal fields, no Huffman, no indexing, so HPACK state never matters) and the
 * server's frames read back with their type, flags, stream id and payload.
 */
final class H2Wire {

    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int WINDOW_UPDATE = 8;
    static final int CONTINUATION = 9;

    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;

    private H2Wire() {
    }

    /** One frame as the server read it. */
    record Frame(int type, int flags, int stream, byte[] payload) {
        /** A GOAWAY's or RST_STREAM's error code. */
        long errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return Integer.toUnsignedLong(Unpooled.wrappedBuffer(payload).getInt(at));
        }

        /** A GOAWAY's last stream id. */
        int lastStream() {
            return Unpooled.wrappedBuffer(payload).getInt(0) & 0x7fffffff;
        }

        /** The value of the SETTINGS parameter {@code id}, or -1. */
        long setting(int id) {
            ByteBuf in = Unpooled.wrappedBuffer(payload);
            while (in.readableBytes() >= 6) {
                int key = in.readUnsignedShort();
                long value = in.readUnsignedInt();
                if (key == id) {
                    return value;
                }
            }
            return -1;
        }
    }

    /** The connection preface and an empty SETTINGS frame: what a client sends first. */
    static byte[] preface() {
        return concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), frame(SETTINGS, 0, 0, new byte[0]));
    }

    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] out = new byte[9 + payload.length];
        out[0] = (byte) (payload.length >>> 16);
        out[1] = (byte) (payload.length >>> 8);
        out[2] = (byte) payload.length;
        out[3] = (byte) type;
        out[4] = (byte) flags;
        out[5] = (byte) (stream >>> 24 & 0x7f);
        out[6] = (byte) (stream >>> 16);
        out[7] = (byte) (stream >>> 8);
        out[8] = (byte) stream;
        System.arraycopy(payload, 0, out, 9, payload.length);
        return out;
    }

    /** A header block of literal fields without indexing: {@code name, value, name, value...}. */
    static byte[] block(String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i += 2) {
            out.write(0);
            literal(out, fields[i]);
            literal(out, fields[i + 1]);
        }
        return out.toByteArray();
    }

    private static void literal(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length < 127) {
            out.write(bytes.length);
        } else {
            out.write(127);
            int rest = bytes.length - 127;
            while (rest >= 128) {
                out.write(rest & 0x7f | 0x80);
                rest >>>= 7;
            }
            out.write(rest);
        }
        out.write(bytes, 0, bytes.length);
    }

    /** A GET request's header block. */
    static byte[] get(String path) {
        return block(":method", "GET", ":scheme", "http", ":path", path, ":authority", "example.com");
    }

    /** A HEADERS frame carrying a whole GET request and ending its stream. */
    static byte[] getRequest(int stream) {
        return frame(HEADERS, END_HEADERS | END_STREAM, stream, get("/"));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    /** The frames in {@code bytes} (whole frames; a partial one at the end is left out). */
    static List<Frame> frames(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        while (in.readableBytes() >= 9) {
            int length = in.getUnsignedMedium(in.readerIndex());
            if (in.readableBytes() < 9 + length) {
                break;
            }
            in.skipBytes(3);
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readBytes(payload);
            frames.add(new Frame(type, flags, stream, payload));
        }
        return frames;
    }

    /** The first frame of {@code type}, or null. */
    static Frame first(List<Frame> frames, int type) {
        for (Frame frame : frames) {
            if (frame.type() == type) {
                return frame;
            }
        }
        return null;
    }
}
