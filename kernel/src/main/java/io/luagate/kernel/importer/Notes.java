package io.luagate.kernel.importer;

import java.util.ArrayList;
import java.util.List;

/** What could not be translated (the exit status 1 list) and what was left out on purpose, as output comments. */
final class Notes {

    private final List<String> unsupported = new ArrayList<>();

    /** Lists {@code file:line: keyword: not supported} and comments the line out in {@code where}. */
    void unsupported(ConfigLine line, String keyword, String detail, HoconObject where) {
        String note = line.where() + ": " + keyword + ": not supported";
        unsupported.add(note);
        if (where != null) {
            where.comment(note + (detail == null ? "" : " (" + detail + ")") + ": " + line.text().strip());
        }
    }

    /** A line that changes nothing observable in luagate: kept as a comment with the reason. */
    static void ignored(ConfigLine line, String reason, HoconObject where) {
        where.comment(line.where() + ": left out, " + reason + ": " + line.text().strip());
    }

    List<String> unsupported() {
        return unsupported;
    }
}
