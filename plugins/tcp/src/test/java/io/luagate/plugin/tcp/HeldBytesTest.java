package io.luagate.plugin.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Held bytes across several read buffers: reads, changes and hand-offs, every buffer released once. */
class HeldBytesTest {

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    private ByteBuf buf(String text) {
        return alloc.directBuffer().writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String drain(List<ByteBuf> bufs) {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b : bufs) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    private HeldBytes held(String... parts) {
        HeldBytes held = new HeldBytes();
        for (String part : parts) {
            held.add(buf(part));
        }
        return held;
    }

    @Test
    void readsAcrossBuffers() {
        HeldBytes held = held("hel", "", "lo w", "orld");
        assertEquals(11, held.size());
        assertEquals("lo wo", text(held.copy(3, 5)));
        assertEquals("hello world", text(held.array()));
        assertEquals("", text(held.copy(11, 0)));
        assertThrows(IndexOutOfBoundsException.class, () -> held.copy(8, 4));
        held.release();
        assertEquals(0, held.size());
    }

    @Test
    void replaceInsertsAndRemovesAnywhere() {
        HeldBytes held = held("abc", "def");
        held.replace(2, 2, "XYZ".getBytes(StandardCharsets.ISO_8859_1), alloc);
        assertEquals("abXYZef", text(held.array()));
        held.replace(0, 0, ">".getBytes(StandardCharsets.ISO_8859_1), alloc);
        held.replace(held.size(), 0, "<".getBytes(StandardCharsets.ISO_8859_1), alloc);
        assertEquals(">abXYZef<", text(held.array()));
        held.replace(1, 7, new byte[0], alloc);
        assertEquals("><", text(held.array()));
        held.replace(0, 2, new byte[0], alloc);
        assertEquals(0, held.size());
        held.add(buf("again"));
        assertEquals("again", drain(held.takeAll()));
    }

    @Test
    void takeSplitsABufferAndKeepsTheRest() {
        HeldBytes held = held("abc", "defg");
        assertEquals("abcde", drain(held.take(5)));
        assertEquals(2, held.size());
        assertEquals("fg", text(held.array()));
        assertEquals("fg", drain(held.take(10)));
        assertEquals(0, held.size());
        assertEquals("", drain(held.take(3)));
        held.add(buf("xyz"));
        held.release();
    }
}
