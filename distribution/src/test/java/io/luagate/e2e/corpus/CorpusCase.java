package io.luagate.e2e.corpus;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A parsed case file, placeholders not yet replaced.
 *
 * @param name the case's path under cases/ without ".case" ("rules-headers/set-header")
 * @param file the .case file
 * @param differs the "# differs:" reason, or null when luagate should answer as HAProxy did
 * @param config the haproxy.cfg section
 * @param files the other file sections, by file name, in order
 * @param upstreams the answers of upstream 1 and 2, null for an echo
 */
record CorpusCase(String name, Path file, String summary, List<String> tags, String differs, String config,
                  Map<String, String> files, RawSection[] upstreams, List<RawSection> requests) {

    /** A request section before placeholders are replaced: its text and flags. */
    record RawSection(String text, boolean keepAlive, boolean escapes, boolean halfClose) {
    }

    /** The recording that sits next to the case. */
    Path recording() {
        String fileName = file.getFileName().toString();
        return file.resolveSibling(fileName.substring(0, fileName.length() - ".case".length()) + ".recording");
    }
}
