package io.luagate.e2e.corpus;

import java.util.List;

/**
 * What the client got for one request.
 *
 * @param interim the 1xx heads before the final one
 * @param head the final head, or null when none came
 * @param framing length, chunked, close, none; or "incomplete: why" when the body did not end
 * @param timing fast (under 1 s), slow, timeout (no complete answer in 3 s)
 * @param closed whether the connection was closed after the response
 */
record ClientResponse(List<HttpHead> interim, HttpHead head, String framing, byte[] body, String timing,
                      boolean closed) {
}
