package io.luagate.kernel.rule;

import io.luagate.spi.rule.HttpReply;

/** HAProxy's built-in error pages, byte for byte in their body. */
public final class ErrorPages {

    private ErrorPages() {
    }

    public static HttpReply forStatus(int status) {
        return switch (status) {
            case 200 -> HttpReply.errorPage(200, "OK", "Service ready.");
            case 400 -> HttpReply.errorPage(400, "Bad request", "Your browser sent an invalid request.");
            case 401 -> HttpReply.errorPage(401, "Unauthorized", "You need a valid user and password to access this content.");
            case 403 -> HttpReply.errorPage(403, "Forbidden", "Request forbidden by administrative rules.");
            case 404 -> HttpReply.errorPage(404, "Not Found", "The resource could not be found.");
            case 405 -> HttpReply.errorPage(405, "Method Not Allowed", "A request was made of a resource using a request method not supported by that resource");
            case 407 -> HttpReply.errorPage(407, "Unauthorized", "You need a valid user and password to access this content.");
            case 408 -> HttpReply.errorPage(408, "Request Time-out", "Your browser didn't send a complete request in time.");
            case 410 -> HttpReply.errorPage(410, "Gone", "The resource is no longer available and will not be available again.");
            case 413 -> HttpReply.errorPage(413, "Payload Too Large", "The request entity exceeds the maximum allowed.");
            case 425 -> HttpReply.errorPage(425, "Too Early", "Your browser sent early data.");
            case 429 -> HttpReply.errorPage(429, "Too Many Requests", "You have sent too many requests in a given amount of time.");
            case 431 -> HttpReply.errorPage(431, "Request Header Fields Too Large", "Your browser sent a request head larger than this server accepts.");
            case 500 -> HttpReply.errorPage(500, "Internal Server Error", "An internal server error occurred.");
            case 501 -> HttpReply.errorPage(501, "Not Implemented", "The server does not support the functionality required to fulfill the request.");
            case 502 -> HttpReply.errorPage(502, "Bad Gateway", "The server returned an invalid or incomplete response.");
            case 503 -> HttpReply.errorPage(503, "Service Unavailable", "No server is available to handle this request.");
            case 504 -> HttpReply.errorPage(504, "Gateway Time-out", "The server didn't respond in time.");
            default -> HttpReply.errorPage(status, "Error", "An error occurred.");
        };
    }
}
