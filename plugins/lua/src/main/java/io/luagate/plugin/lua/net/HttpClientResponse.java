package io.luagate.plugin.lua.net;

import java.util.List;
import java.util.Map;

/**
 * What {@code core.httpclient()} gives the script: the server's response, or the error page
 * HAProxy's own stream would have produced (503 when no connection could be made, 504 when the
 * server stayed silent past the timeout, 502 for a broken or truncated response).
 *
 * @param status  the status code
 * @param reason  the reason phrase
 * @param headers header lines in order, names as received
 * @param body    the body
 */
public record HttpClientResponse(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {

    public HttpClientResponse {
        headers = List.copyOf(headers);
    }
}
