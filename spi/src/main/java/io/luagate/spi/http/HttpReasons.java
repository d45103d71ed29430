package io.luagate.spi.http;

/**
 * HAProxy 2.6's reason phrases ({@code http_get_reason}): what its Lua replies and status changes
 * write when no reason is given. They differ from the RFC's in places (302 "Moved Temporarily",
 * 408 "Request Time-out", 504 "Gateway Time-out"), and statuses it does not know get the phrase of
 * their class, or "Other" outside 100-599.
 */
public final class HttpReasons {

    private HttpReasons() {
    }

    /** The phrase for {@code status}; never null. */
    public static String of(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 102 -> "Processing";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 203 -> "Non-Authoritative Information";
            case 204 -> "No Content";
            case 205 -> "Reset Content";
            case 206 -> "Partial Content";
            case 207 -> "Multi-Status";
            case 210 -> "Content Different";
            case 226 -> "IM Used";
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Moved Temporarily";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 305 -> "Use Proxy";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 310 -> "Too many Redirects";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Time-out";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Request Entity Too Large";
            case 414 -> "Request-URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Requested range unsatisfiable";
            case 417 -> "Expectation failed";
            case 418 -> "I'm a teapot";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable entity";
            case 423 -> "Locked";
            case 424 -> "Method failure";
            case 425 -> "Too Early";
            case 426 -> "Upgrade Required";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 449 -> "Retry With";
            case 450 -> "Blocked by Windows Parental Controls";
            case 451 -> "Unavailable For Legal Reasons";
            case 456 -> "Unrecoverable Error";
            case 499 -> "client has closed connection";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway or Proxy Error";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Time-out";
            case 505 -> "HTTP Version not supported";
            case 506 -> "Variant also negotiate";
            case 507 -> "Insufficient storage";
            case 508 -> "Loop detected";
            case 509 -> "Bandwidth Limit Exceeded";
            case 510 -> "Not extended";
            case 511 -> "Network authentication required";
            case 520 -> "Web server is returning an unknown error";
            default -> classPhrase(status);
        };
    }

    /** The phrase of the status's class, for statuses without their own. */
    public static String classPhrase(int status) {
        if (status < 100 || status > 599) {
            return "Other";
        }
        return switch (status / 100) {
            case 1 -> "Informational";
            case 2 -> "Success";
            case 3 -> "Redirection";
            case 4 -> "Client Error";
            default -> "Server Error";
        };
    }
}
