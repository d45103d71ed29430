package io.luagate.e2e.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a .case file: the comment with its tag lines, then the "=== name [flags]" sections. */
final class CaseReader {

    private static final String SECTION = "=== ";
    private static final Set<String> REQUEST_FLAGS = Set.of("keep-alive", "escapes", "half-close");

    private CaseReader() {
    }

    /** The case's name: its path under the cases directory without ".case". */
    static String name(Path casesDir, Path file) {
        String rel = casesDir.relativize(file).toString().replace('\\', '/');
        return rel.substring(0, rel.length() - ".case".length());
    }

    static CorpusCase read(Path casesDir, Path file) throws IOException {
        String name = name(casesDir, file);
        List<String> lines = List.of(Files.readString(file, StandardCharsets.UTF_8).split("\n", -1));
        String summary = null;
        List<String> tags = new ArrayList<>();
        String differs = null;
        int i = 0;
        for (; i < lines.size() && !lines.get(i).startsWith(SECTION); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            if (!line.startsWith("#")) {
                throw new IOException(file + ":" + (i + 1) + ": text before the first section must be a # comment");
            }
            String text = line.substring(1).strip();
            if (text.startsWith("tags:")) {
                for (String tag : text.substring("tags:".length()).split(",")) {
                    if (!tag.isBlank()) {
                        tags.add(tag.strip());
                    }
                }
            } else if (text.startsWith("differs:")) {
                differs = text.substring("differs:".length()).strip();
            } else if (summary == null) {
                summary = text;
            }
        }
        String config = null;
        Map<String, String> files = new LinkedHashMap<>();
        CorpusCase.RawSection[] upstreams = new CorpusCase.RawSection[2];
        List<CorpusCase.RawSection> requests = new ArrayList<>();
        while (i < lines.size()) {
            int headerLine = i + 1;
            String[] header = lines.get(i).substring(SECTION.length()).strip().split("\\s+");
            StringBuilder body = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith(SECTION); i++) {
                body.append(lines.get(i)).append('\n');
            }
            // The file's own last line break was counted as one more (empty) line by split().
            if (i == lines.size() && body.length() > 0) {
                body.setLength(body.length() - 1);
            }
            String text = body.length() > 0 && body.charAt(body.length() - 1) == '\n'
                    ? body.substring(0, body.length() - 1) : body.toString();
            String where = file + ":" + headerLine;
            switch (header[0]) {
                case "haproxy.cfg" -> {
                    if (config != null) {
                        throw new IOException(where + ": a second haproxy.cfg section");
                    }
                    config = text;
                }
                case "upstream" -> {
                    List<String> flags = List.of(header).subList(1, header.length);
                    int which = flags.contains("2") ? 2 : 1;
                    if (upstreams[which - 1] != null || flags.stream().anyMatch(f -> !f.matches("1|2|escapes"))) {
                        throw new IOException(where + ": upstream takes 1 or 2 and escapes, once each");
                    }
                    upstreams[which - 1] = new CorpusCase.RawSection(text, false, flags.contains("escapes"), false);
                }
                case "request" -> {
                    List<String> flags = List.of(header).subList(1, header.length);
                    for (String flag : flags) {
                        if (!REQUEST_FLAGS.contains(flag)) {
                            throw new IOException(where + ": unknown request flag " + flag);
                        }
                    }
                    requests.add(new CorpusCase.RawSection(text, flags.contains("keep-alive"),
                            flags.contains("escapes"), flags.contains("half-close")));
                }
                default -> files.put(header[0], text);
            }
        }
        if (config == null) {
            throw new IOException(file + ": no haproxy.cfg section");
        }
        if (summary == null) {
            throw new IOException(file + ": the first comment line must say what the case checks");
        }
        return new CorpusCase(name, file, summary, List.copyOf(tags), differs, config, files, upstreams,
                List.copyOf(requests));
    }
}
