package io.luagate.plugin.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HAProxy's {@code crt-list} file: one certificate per line, {@code <crtfile> [<sslbindconf> ...]
 * [[!]<snifilter> ...]}, blank lines and {@code #} comments skipped. luagate takes the certificate
 * and its SNI filters; options in brackets (alpn, ssl-min-ver, verify... per certificate) are
 * refused with the list's file and line, an empty {@code []} is accepted.
 */
final class CrtList {

    /**
     * One line.
     *
     * @param file    the certificate's PEM file, resolved against the home
     * @param filters the SNI filters as written, lower case ({@code !} marks a name excluded)
     * @param where   {@code list-file:line}, for messages
     */
    record Entry(Path file, List<String> filters, String where) {
    }

    private CrtList() {
    }

    /** @throws IOException naming the file and line of what is wrong */
    static List<Entry> read(Path list, Path home) throws IOException {
        if (Files.isDirectory(list)) {
            throw new IOException("is a directory: a crt-list is a file listing certificates, one a line");
        }
        List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = list + ":" + (n + 1);
            String[] words = line.split("\\s+");
            List<String> filters = new ArrayList<>();
            for (int i = 1; i < words.length; i++) {
                String word = words[i];
                if (word.startsWith("[")) {
                    StringBuilder options = new StringBuilder(word);
                    while (!options.toString().endsWith("]") && i + 1 < words.length) {
                        options.append(' ').append(words[++i]);
                    }
                    if (!options.toString().endsWith("]")) {
                        throw new IOException(where + ": '[' without its ']'");
                    }
                    String inside = options.substring(1, options.length() - 1).strip();
                    if (!inside.isEmpty()) {
                        throw new IOException(where + ": options per certificate ([" + inside + "]) are not supported:"
                                + " luagate takes the certificate and its SNI filters; write the options on the bind");
                    }
                } else {
                    filters.add(word.toLowerCase(Locale.ROOT));
                }
            }
            Path file = home.resolve(words[0]).normalize();
            if (Files.isDirectory(file)) {
                throw new IOException(where + ": " + file + " is a directory: a crt-list line names one PEM file");
            }
            entries.add(new Entry(file, List.copyOf(filters), where));
        }
        return List.copyOf(entries);
    }
}
