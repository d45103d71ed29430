package io.luagate.e2e.corpus;

import java.util.List;

/**
 * What a test upstream received: which upstream (1 or 2), the request line, the header lines as
 * received, and the body (de-chunked; the framing shows in the headers).
 */
record ReceivedRequest(int upstream, String requestLine, List<String> headerLines, byte[] body) {
}
