package io.luagate.kernel.rule.map;

import io.luagate.kernel.rule.ConfigBytes;
import io.luagate.kernel.rule.match.Pattern;
import io.luagate.kernel.rule.match.PatternException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads pattern files and map files as HAProxy 2.6 does ({@code pat_ref_read_from_file} and
 * {@code pat_ref_read_from_file_smp}). Files are read as bytes (ISO-8859-1 characters), like
 * request data. A line ends at LF, and is cut at its first CR (or NUL); a line whose first
 * character is '#' is a comment (a '#' after leading blanks is not); leading spaces and tabs are
 * dropped; lines left empty are ignored. Each entry's origin is {@code file:line}.
 */
final class PatternFiles {

    /**
     * One entry: a pattern (with its origin) and, in a map, its value. Its {@code ref} is unique in
     * the process and kept while the entry lives, a new value included: HAProxy's entry pointer,
     * which the runtime API prints and takes back as {@code #<ref>}.
     */
    record Entry(Pattern pattern, String value, long ref) {

        private static final AtomicLong REFS = new AtomicLong();

        /** A new entry, with a new ref. */
        Entry(Pattern pattern, String value) {
            this(pattern, value, REFS.incrementAndGet());
        }

        /** The same entry (same ref) with another value. */
        Entry withValue(String newValue) {
            return new Entry(pattern, newValue, ref);
        }
    }

    private PatternFiles() {
    }

    /**
     * A pattern file: one pattern per line, the whole line after its leading blanks. Trailing
     * blanks are kept, as HAProxy keeps them.
     */
    static List<Entry> readPatterns(Path file, String name) throws PatternException {
        List<Entry> entries = new ArrayList<>();
        int lineNumber = 0;
        for (String line : lines(file, name)) {
            lineNumber++;
            int start = skipBlanks(line, 0);
            if (line.startsWith("#") || start == line.length()) {
                continue;
            }
            entries.add(new Entry(new Pattern(line.substring(start), name + ":" + lineNumber), null));
        }
        return entries;
    }

    /**
     * A map file: the key is the first word (up to a space or tab), the value the rest of the line
     * after the blanks that follow the key, without trailing blanks. A key alone has the empty
     * value, as in HAProxy: whether that is acceptable depends on the output type of the map
     * converter that uses the file (it is 0 as an integer, and no address).
     */
    static List<Entry> readMap(Path file, String name) throws PatternException {
        List<Entry> entries = new ArrayList<>();
        int lineNumber = 0;
        for (String line : lines(file, name)) {
            lineNumber++;
            int keyStart = skipBlanks(line, 0);
            if (line.startsWith("#") || keyStart == line.length()) {
                continue;
            }
            int keyEnd = keyStart;
            while (keyEnd < line.length() && line.charAt(keyEnd) != ' ' && line.charAt(keyEnd) != '\t') {
                keyEnd++;
            }
            int valueStart = skipBlanks(line, keyEnd);
            int valueEnd = line.length();
            while (valueEnd > valueStart && (line.charAt(valueEnd - 1) == ' ' || line.charAt(valueEnd - 1) == '\t')) {
                valueEnd--;
            }
            entries.add(new Entry(new Pattern(line.substring(keyStart, keyEnd), name + ":" + lineNumber),
                    line.substring(valueStart, valueEnd)));
        }
        return entries;
    }

    private static PatternException tooLarge(String name) {
        return new PatternException(name, "failed to open pattern file <" + ConfigBytes.of(name) + ">: larger than "
                + (MAX_FILE_BYTES >> 20) + " MiB");
    }

    private static int skipBlanks(String line, int from) {
        int i = from;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * The largest map or pattern file read: files are read whole at load, and a file without end
     * ({@code /dev/zero}, a device, a pipe nobody closes) must be an error, not a full heap.
     */
    static final int MAX_FILE_BYTES = 256 << 20;

    /** The lines of the file, each cut at its first CR or NUL. */
    private static List<String> lines(Path file, String name) throws PatternException {
        String text;
        try {
            if (!Files.exists(file)) {
                throw new java.nio.file.NoSuchFileException(file.toString());
            }
            if (!Files.isRegularFile(file)) {
                throw new PatternException(name, "failed to open pattern file <" + ConfigBytes.of(name) + ">: not a regular file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw tooLarge(name);
            }
            byte[] bytes;
            try (java.io.InputStream in = Files.newInputStream(file)) {
                // Bounded again while reading: a file may grow, or report no size (/proc).
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw tooLarge(name);
            }
            text = new String(bytes, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            String reason = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new PatternException(name, "failed to open pattern file <" + ConfigBytes.of(name) + ">: " + ConfigBytes.of(reason));
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline;
            int cut = start;
            while (cut < end && text.charAt(cut) != '\r' && text.charAt(cut) != '\0') {
                cut++;
            }
            lines.add(text.substring(start, cut));
            start = end + 1;
        }
        return lines;
    }
}
