package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's phase chart and {@link Analyser} say the same thing: same steps, same order. */
class PhaseChartTest {

    private static final Pattern STEP = Pattern.compile("^ [ |] ([A-Z_]+) ");

    private static List<String> chartSteps() throws IOException {
        String readme = Files.readString(Path.of("../../README.md"));
        int section = readme.indexOf("\n### http\n");
        assertTrue(section >= 0, "the README has an http section");
        int chart = readme.indexOf("**Phase chart.**", section);
        assertTrue(chart >= 0 && chart < readme.indexOf("\n### ", section + 1), "the http section has the chart");
        int from = readme.indexOf("```\n", chart) + 4;
        int to = readme.indexOf("```", from);
        List<String> steps = new ArrayList<>();
        for (String line : readme.substring(from, to).split("\n")) {
            Matcher m = STEP.matcher(line);
            if (m.find()) {
                steps.add(m.group(1));
            }
        }
        return steps;
    }

    @Test
    void chartListsEveryAnalyserInDeclarationOrder() throws IOException {
        assertEquals(Arrays.stream(Analyser.values()).map(Enum::name).toList(), chartSteps());
    }

    @Test
    void analysersFollowEachOtherInTheChartsOrderAServiceReplacingConnectAndForward() throws IOException {
        List<String> server = new ArrayList<>();
        for (Analyser a = Analyser.REQUEST_HEAD; a != Analyser.END; a = a.next()) {
            server.add(a.name());
        }
        server.add(Analyser.END.name());
        List<String> chart = new ArrayList<>(chartSteps());
        chart.remove(Analyser.SERVICE.name());
        assertEquals(chart, server);
        assertEquals(Analyser.RESPONSE_HEAD, Analyser.SERVICE.next());
        assertEquals(Analyser.END, Analyser.END.next());
    }
}
