package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.luagate.kernel.config.Problems;
import io.luagate.kernel.config.Section;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code global.tune.h2}: the plugin's reference file, HAProxy's bounds, and the SETTINGS announced. */
class Http2TuningTest {

    private final Problems problems = new Problems();

    /** The user's {@code text} over the plugin's own defaults, read as the kernel reads a plugin's section. */
    private Http2Tuning read(String text) {
        Config defaults = ConfigFactory.parseResources(HttpCodec.class.getClassLoader(), new HttpCodec().defaultsResource());
        Config user = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription("luagate.conf"));
        Section section = new Section(user.withFallback(defaults).resolve(), new HttpCodec().configSection(), problems);
        Http2Tuning tuning = Http2Tuning.read(section);
        section.finish();
        return tuning;
    }

    private List<String> problems() {
        return problems.list().stream().map(Object::toString).toList();
    }

    @Test
    void theReferenceFileHoldsHaproxysDefaults() {
        Http2Tuning tuning = read("");
        assertEquals(List.of(), problems());
        assertEquals(Http2Tuning.DEFAULTS, tuning);
        Http2Settings settings = tuning.settings(16_384, 16_384);
        assertEquals(100L, settings.maxConcurrentStreams());
        assertEquals(4096L, settings.headerTableSize());
        assertEquals(65_535, settings.initialWindowSize());
        assertEquals(16_384, settings.maxFrameSize());
        assertEquals(16_384L, settings.maxHeaderListSize());
    }

    @Test
    void valuesAreReadWithinHaproxysBounds() {
        Http2Tuning tuning = read("""
                header-table-size = 65536
                initial-window-size = 1048576
                max-concurrent-streams = 7
                max-frame-size = 32768
                """);
        assertEquals(List.of(), problems());
        assertEquals(new Http2Tuning(65_536, 1_048_576, 7, 32_768), tuning);
    }

    @Test
    void aValueOutOfBoundsIsAProblemAtItsLine() {
        read("""
                header-table-size = 2048
                initial-window-size = -1
                max-frame-size = 16777216
                max-concurrent-stream = 5
                """);
        List<String> problems = problems();
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.contains("luagate.conf: 1: global.tune.h2.header-table-size: 2048 is out of range [4096, 65536]"),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("initial-window-size") && p.contains("-1")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("max-frame-size") && p.contains("[16384, 16777215]")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("global.tune.h2.max-concurrent-stream") && p.contains("unknown key")),
                problems.toString());
    }

    @Test
    void noFrameLargerThanTheBufferIsAnnounced() {
        // Unset: the larger of 16384 and tune.bufsize.
        assertEquals(65_536, read("").settings(16_384, 65_536).maxFrameSize());
        assertEquals(16_384, read("").settings(8_192, 8_192).maxFrameSize());
        // Set: never beyond tune.bufsize.
        assertEquals(16_384, read("max-frame-size = 32768").settings(16_384, 16_384).maxFrameSize());
        assertEquals(32_768, read("max-frame-size = 32768").settings(16_384, 65_536).maxFrameSize());
    }

    @Test
    void zeroConcurrentStreamsAnnouncesNoLimit() {
        assertEquals(4_294_967_295L, read("max-concurrent-streams = 0").settings(16_384, 16_384).maxConcurrentStreams());
    }
}
