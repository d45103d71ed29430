package io.luagate.plugin.http;

import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;

/**
 * The header map of a head read off the wire: Netty's validating map, except that the names the
 * head parser adds are not checked a second time. The parser has already refused any name that is
 * not a token ({@link RequestHeadParser#headers}), which is all Netty's name check looks for, and
 * that second scan of every name was a few percent of the event loop's samples. Names added later
 * (rules, filters, Lua) are checked as in any other map, so every name in it stays a token.
 */
final class ParsedHttpHeaders extends DefaultHttpHeaders {

    private final NameCheck check;

    private ParsedHttpHeaders(NameCheck check) {
        super(check, DefaultHttpHeadersFactory.headersFactory().getValueValidator());
        this.check = check;
    }

    static ParsedHttpHeaders create() {
        return new ParsedHttpHeaders(new NameCheck());
    }

    /** While {@code parsed}, the names added are the parser's, already checked; otherwise Netty checks each. */
    void parsedNames(boolean parsed) {
        check.skip = parsed;
    }

    /** Netty's name check, off while the parser fills the map. One per map: each map is filled on its own. */
    private static final class NameCheck implements DefaultHeaders.NameValidator<CharSequence> {

        private static final DefaultHeaders.NameValidator<CharSequence> NETTY =
                DefaultHttpHeadersFactory.headersFactory().getNameValidator();

        private boolean skip;

        @Override
        public void validateName(CharSequence name) {
            if (!skip) {
                NETTY.validateName(name);
            }
        }
    }
}
