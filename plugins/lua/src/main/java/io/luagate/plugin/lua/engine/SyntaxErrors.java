package io.luagate.plugin.lua.engine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.Globals;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/**
 * LuaJ's compiler with Lua 5.3's syntax errors: {@code file:3: 'end' expected (to close 'function'
 * at line 1) near <eof>} where LuaJ says {@code file:3: 'end' expected (to close 'function' at
 * line 1)} or {@code unexpected symbol 286}. LuaJ's lexer drops the token it stopped at; it reads
 * the source one character at a time, so after a failure the chunk is compiled once more through
 * a counting stream, and the token that ends where LuaJ stopped reading is the one Lua names
 * ({@link LuaTokens}). A chunk that compiles costs nothing more.
 */
final class SyntaxErrors implements Globals.Compiler {

    static final SyntaxErrors INSTANCE = new SyntaxErrors();

    private static final Pattern UNEXPECTED = Pattern.compile("unexpected symbol \\d+ \\(.*\\)");
    private static final Pattern BREAK = Pattern.compile("no visible label 'break' for <goto> at line (\\d+)");

    private SyntaxErrors() {
    }

    @Override
    public Prototype compile(InputStream stream, String chunkname) throws IOException {
        byte[] source = stream.readAllBytes();
        Prototype compiled;
        try {
            compiled = LuaC.instance.compile(new ByteArrayInputStream(source), chunkname);
        } catch (LuaError e) {
            throw new LuaError(reword(source, chunkname, e.getMessage()));
        } catch (RuntimeException e) {
            // LuaJ's number conversion throws NumberFormatException on numerals Lua calls malformed.
            throw new LuaError(reword(source, chunkname, "load " + chunkname + ": " + e));
        }
        // LuaJ lets through some tokens Lua 5.3 refuses ('\q', 0x): the chunk parsed, so Lua would reach them.
        LuaTokens.Failure lexical = LuaTokens.scan(source).failure;
        if (lexical != null) {
            throw new LuaError(ChunkId.of(chunkname) + ":" + lexical.line() + ": " + lexical.message() + " near " + lexical.near());
        }
        return compiled;
    }

    /** Lua 5.3's text for the error LuaJ reported as {@code luaj} while compiling {@code source}. */
    static String reword(byte[] source, String chunkname, String luaj) {
        String id = ChunkId.of(chunkname);
        int read = charactersRead(source, chunkname);
        LuaTokens scan = LuaTokens.scan(source);
        LuaTokens.Failure lexical = scan.failure;
        if (lexical != null && (read < 0 || lexical.offset() < read)) {
            return id + ":" + lexical.line() + ": " + lexical.message() + " near " + lexical.near();
        }
        String prefix = Lua.chunkid(chunkname) + ":";
        if (luaj == null || !luaj.startsWith(prefix)) {
            return luaj;
        }
        Matcher at = Pattern.compile("(\\d+): (.*)", Pattern.DOTALL).matcher(luaj.substring(prefix.length()));
        if (!at.matches() || read < 0) {
            return luaj;
        }
        String message = at.group(2);
        Matcher breakOutside = BREAK.matcher(message);
        if (breakOutside.matches()) {
            return id + ":" + at.group(1) + ": <break> at line " + breakOutside.group(1) + " not inside a loop";
        }
        if (message.contains("<goto") || message.contains("label '") || message.contains("jumps into the scope")) {
            // Lua reports scope errors of labels without a token.
            return id + ":" + at.group(1) + ": " + message;
        }
        if (UNEXPECTED.matcher(message).matches()) {
            message = "unexpected symbol";
        }
        message = message.replace("'<eos>'", "<eof>").replace("'<name>'", "<name>")
                .replace("'<string>'", "<string>").replace("'<number>'", "<number>");
        // The character LuaJ read last follows the token it stopped at; past the end, that token is <eof>.
        int last = read - 1;
        if (last > source.length) {
            return id + ":" + LuaTokens.lineAfter(source, source.length) + ": " + message + " near <eof>";
        }
        for (LuaTokens.Token token : scan.tokens) {
            if (token.end() == last) {
                return id + ":" + LuaTokens.lineAfter(source, last) + ": " + message + " near " + token.near();
            }
        }
        return id + ":" + at.group(1) + ": " + message;
    }

    /**
     * How many characters LuaJ's lexer reads of {@code source} (and one newline after it, so that
     * a token at the very end and the end itself read differently) before it fails; -1 if it does not.
     */
    private static int charactersRead(byte[] source, String chunkname) {
        byte[] padded = Arrays.copyOf(source, source.length + 1);
        padded[source.length] = '\n';
        CountingStream counted = new CountingStream(padded);
        try {
            LuaC.instance.compile(counted, chunkname);
            return -1;
        } catch (RuntimeException | IOException e) {
            return counted.reads;
        }
    }

    /** Counts reads, the one that finds the end included. */
    private static final class CountingStream extends InputStream {

        private final byte[] bytes;
        int reads;

        CountingStream(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            int i = reads++;
            return i < bytes.length ? bytes[i] & 0xff : -1;
        }
    }
}
