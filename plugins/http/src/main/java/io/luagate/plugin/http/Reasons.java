package io.luagate.plugin.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Reason phrases for statuses the proxy writes itself (replies, set-status): the standard phrase
 * where there is one, else HAProxy's phrase for the status class ("Success", "Client Error"...)
 * rather than Netty's "Client Error (418)".
 */
final class Reasons {

    private Reasons() {
    }

    static HttpResponseStatus status(int code) {
        HttpResponseStatus known = HttpResponseStatus.valueOf(code);
        String phrase = known.reasonPhrase();
        if (!phrase.endsWith("(" + code + ")")) {
            return known;
        }
        return new HttpResponseStatus(code, switch (code) {
            case 418 -> "I'm a teapot";
            case 425 -> "Too Early";
            default -> switch (code / 100) {
                case 1 -> "Informational";
                case 2 -> "Success";
                case 3 -> "Redirection";
                case 4 -> "Client Error";
                case 5 -> "Server Error";
                default -> "Other";
            };
        });
    }
}
