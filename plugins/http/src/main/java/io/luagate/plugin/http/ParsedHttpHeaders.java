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

    /**
     * Hash buckets of the map: 8 where Netty makes 16. A head has a handful of header lines (the
     * benchmark's: one in the request, five in the response), two maps are made per request, and
     * the array was 80 of their ~200 bytes each; the lines stay in one list in their order
     * whatever the bucket count, so only a look-up's walk of its bucket can grow.
     */
    static final int BUCKETS = 8;

    private final NameCheck check;

    private ParsedHttpHeaders(NameCheck check) {
        super(check, DefaultHttpHeadersFactory.headersFactory().getValueValidator(), BUCKETS);
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
