package io.luagate.plugin.lua.engine;

/** A chunk's name as Lua 5.3 writes it in messages ({@code luaO_chunkid}, 60 bytes at most). */
final class ChunkId {

    private static final int IDSIZE = 60;

    private ChunkId() {
    }

    static String of(String source) {
        if (source.startsWith("=")) {
            return source.length() <= IDSIZE ? source.substring(1) : source.substring(1, IDSIZE);
        }
        if (source.startsWith("@")) {
            // Too long: the end of the path is the part that tells files apart.
            return source.length() <= IDSIZE ? source.substring(1) : "..." + source.substring(source.length() - (IDSIZE - 4));
        }
        int room = IDSIZE - 15;
        int newline = source.indexOf('\n');
        if (source.length() < room && newline < 0) {
            return "[string \"" + source + "\"]";
        }
        int length = newline < 0 ? source.length() : newline;
        return "[string \"" + source.substring(0, Math.min(length, room)) + "...\"]";
    }
}
