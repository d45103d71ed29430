package io.luagate.kernel.config;

import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The order in which an object's entries are written. typesafe-config keeps an object's keys in a
 * hash map and its origins carry lines, not columns, so entries written on one line
 * ({@code servers { a = "...", b = "..." }}) are put in order by where their key stands in that
 * line, read back from the file. Order matters: the first usable backup server takes the traffic,
 * and a consistent-hash ring numbers servers by position, as HAProxy does.
 */
final class WrittenOrder {

    private WrittenOrder() {
    }

    static List<Map.Entry<String, ConfigValue>> of(Iterable<Map.Entry<String, ConfigValue>> entries) {
        List<Map.Entry<String, ConfigValue>> sorted = new ArrayList<>();
        entries.forEach(sorted::add);
        Map<String, List<String>> files = new HashMap<>();
        Map<String, Integer> columns = new HashMap<>();
        for (Map.Entry<String, ConfigValue> entry : sorted) {
            columns.put(entry.getKey(), column(entry.getKey(), entry.getValue().origin(), files));
        }
        sorted.sort(Comparator.<Map.Entry<String, ConfigValue>>comparingInt(e -> e.getValue().origin().lineNumber())
                .thenComparingInt(e -> columns.get(e.getKey())));
        return sorted;
    }

    /** Where {@code key} stands on its line, or 0 when the line cannot be read (a text given without a file). */
    private static int column(String key, ConfigOrigin origin, Map<String, List<String>> files) {
        String file = origin.filename();
        int line = origin.lineNumber();
        if (file == null || line < 1) {
            return 0;
        }
        List<String> lines = files.computeIfAbsent(file, f -> {
            try {
                return Files.readAllLines(Path.of(f));
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        });
        if (line > lines.size()) {
            return 0;
        }
        Matcher at = Pattern.compile("(?:^|[\\s{,])\"?" + Pattern.quote(key) + "\"?\\s*[=:{]").matcher(lines.get(line - 1));
        return at.find() ? at.start() : 0;
    }
}
