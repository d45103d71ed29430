package io.luagate.plugin.admin;

/**
 * What the API answers: a status and a JSON document.
 *
 * @param status   the HTTP status
 * @param body     written as JSON; {@code null} sends no body (204)
 * @param location the {@code Location} of a resource just made, or {@code null}
 */
record ApiAnswer(int status, Object body, String location) {

    static ApiAnswer ok(Object body) {
        return new ApiAnswer(200, body, null);
    }

    static ApiAnswer noContent() {
        return new ApiAnswer(204, null, null);
    }
}
