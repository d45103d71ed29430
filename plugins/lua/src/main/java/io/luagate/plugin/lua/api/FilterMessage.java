package io.luagate.plugin.lua.api;

import io.luagate.spi.filter.HttpMessage;
import io.luagate.spi.http.HttpHead;

/**
 * An HTTPMessage object's Java side: a direction's head, and the body part passing now when the
 * codec handed one ({@code payload}: {@code null} in callbacks without one).
 */
public record FilterMessage(HttpHead head, boolean response, HttpMessage payload) {
}
