package io.luagate.plugin.lua.api;

import io.luagate.spi.filter.HttpMessage;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.Transaction;

/**
 * An HTTPMessage object's Java side: a direction's head, the message the codec handed
 * ({@code payload}: {@code null} in callbacks without one), the callback it is for, and the
 * filter's window on that direction's body, and the request it belongs to.
 */
public record FilterMessage(HttpHead head, boolean response, HttpMessage payload, Stage stage, MessageWindow window,
                            Transaction request) implements RequestBound {

    /** The callback an HTTPMessage is handed to: HAProxy allows each method in some of them only. */
    public enum Stage {
        /** {@code http_headers}: the head may change, the body cannot be touched. */
        HEADERS,
        /** {@code http_payload}: the body part passing now may change, the head is gone. */
        PAYLOAD,
        /** {@code http_end}: only the queries. */
        END
    }
}
