package io.luagate.plugin.http;

import io.luagate.spi.config.ConfigSection;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * {@code global.tune.h2}: HAProxy 2.6's four HTTP/2 settings, read once (with HAProxy's bounds), and
 * what a connection announces from them.
 *
 * @param headerTableSize      {@code header-table-size}
 * @param initialWindowSize    {@code initial-window-size}
 * @param maxConcurrentStreams {@code max-concurrent-streams}, 0 for no limit
 * @param maxFrameSize         {@code max-frame-size}, 0 when not set
 */
record Http2Tuning(int headerTableSize, int initialWindowSize, int maxConcurrentStreams, int maxFrameSize) {

    /** HAProxy 2.6's defaults. */
    static final Http2Tuning DEFAULTS = new Http2Tuning(4096, 65_535, 100, 0);

    /** Reads the section; a bad value is a problem at its file and line, and the default stands in. */
    static Http2Tuning read(ConfigSection section) {
        return new Http2Tuning(
                section.integer("header-table-size", 4096, 65_536),
                section.integer("initial-window-size", 0, Integer.MAX_VALUE),
                section.integer("max-concurrent-streams", 0, Integer.MAX_VALUE),
                section.has("max-frame-size")
                        ? section.integer("max-frame-size", Http2CodecUtil.MAX_FRAME_SIZE_LOWER_BOUND,
                                Http2CodecUtil.MAX_FRAME_SIZE_UPPER_BOUND)
                        : 0);
    }

    /**
     * The SETTINGS a client connection announces.
     *
     * @param maxHeaderList the largest header list read (the frontend's head limit within tune.bufsize)
     * @param bufferSize    {@code global.tune.bufsize}: no frame larger is announced, as by HAProxy
     */
    Http2Settings settings(int maxHeaderList, int bufferSize) {
        int frame = Math.max(Http2CodecUtil.MAX_FRAME_SIZE_LOWER_BOUND,
                Math.min(maxFrameSize == 0 ? bufferSize : maxFrameSize, bufferSize));
        return Http2Settings.defaultSettings()
                .headerTableSize(headerTableSize)
                .initialWindowSize(initialWindowSize)
                .maxFrameSize(frame)
                .maxHeaderListSize(maxHeaderList)
                // HAProxy's 0 is no limit: the largest count the protocol can say (Netty would put 100 in an absent one).
                .maxConcurrentStreams(maxConcurrentStreams == 0 ? Http2CodecUtil.MAX_CONCURRENT_STREAMS : maxConcurrentStreams);
    }

    /**
     * The SETTINGS a connection to a server announces: as in HAProxy 2.6, {@code header-table-size}
     * and {@code initial-window-size} apply toward servers too; no push.
     *
     * @param maxHeaderList the largest response head read
     */
    Http2Settings upstreamSettings(int maxHeaderList) {
        return Http2Settings.defaultSettings()
                .pushEnabled(false)
                .headerTableSize(headerTableSize)
                .initialWindowSize(initialWindowSize)
                .maxHeaderListSize(maxHeaderList);
    }
}
