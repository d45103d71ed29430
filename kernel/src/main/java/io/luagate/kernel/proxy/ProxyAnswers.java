package io.luagate.kernel.proxy;

import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ReplyTemplate;
import java.util.Map;

/**
 * A proxy's own answers, compiled: its {@code http-error} replies by status, its tarpit delay,
 * and (frontends) its {@code monitor-uri} check.
 *
 * @param errors       by status; a status not in it answers with the built-in page
 * @param tarpitMillis how long a tarpit in this proxy's rules holds the request
 * @param monitor      the {@code monitor-uri} check, or {@code null}
 */
public record ProxyAnswers(Map<Integer, ReplyTemplate> errors, long tarpitMillis, Action monitor) {

    public ProxyAnswers {
        errors = Map.copyOf(errors);
    }
}
