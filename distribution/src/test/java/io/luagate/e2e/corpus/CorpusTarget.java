package io.luagate.e2e.corpus;

import java.nio.file.Path;

/** What a case runs against: the real HAProxy (to record) or luagate (to check). */
interface CorpusTarget {

    /**
     * Starts on the case's configuration (placeholders replaced) and returns once {@code port}
     * (the case's first bind, or 0) accepts connections.
     *
     * @throws StartFailed when the target refuses the configuration
     */
    AutoCloseable start(Path caseDir, Path config, int port) throws Exception;

    /** The target refused to start: the recording says so instead of listing responses. */
    final class StartFailed extends Exception {
        private static final long serialVersionUID = 1L;

        StartFailed(String message) {
            super(message);
        }
    }
}
