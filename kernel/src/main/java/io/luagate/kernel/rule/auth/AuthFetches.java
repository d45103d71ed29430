package io.luagate.kernel.rule.auth;

import io.luagate.kernel.rule.ConfigBytes;
import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.match.Matcher;
import io.luagate.kernel.rule.match.Pattern;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code http_auth(<userlist>)}: whether the request's Basic credentials are valid in the list (no
 * sample without credentials); {@code http_auth_group(<userlist>)}: the user name when they are
 * valid, and in an ACL ({@link #groupMatcher}) whether that user belongs to one of the groups given
 * as patterns. The credentials are read as HAProxy's {@code get_http_auth} reads them.
 */
public final class AuthFetches {

    /** A user name and password from an {@code Authorization: Basic} header. */
    private record Credentials(String user, String password) {
    }

    private AuthFetches() {
    }

    public static void register(SampleRegistry registry) {
        registry.fetch("http_auth", (args, ctx) -> {
            Userlist list = userlist(args, ctx);
            return txn -> {
                Credentials credentials = credentials(txn);
                return credentials == null ? null : list.check(credentials.user(), credentials.password());
            };
        });
        registry.fetch("http_auth_group", (args, ctx) -> {
            Userlist list = userlist(args, ctx);
            return txn -> {
                Credentials credentials = credentials(txn);
                return credentials != null && list.check(credentials.user(), credentials.password())
                        ? ConfigBytes.of(credentials.user()) : null;
            };
        });
    }

    private static Userlist userlist(Args args, CompileContext ctx) throws RuleSyntaxException {
        String name = args.expect(1, 1).string(0);
        Userlist list = ctx.userlists().get(name);
        if (list == null) {
            throw args.error("no userlist named '" + name + "'; known: "
                    + (ctx.userlists().isEmpty() ? "none" : String.join(", ", new TreeSet<>(ctx.userlists().keySet()))));
        }
        return list;
    }

    /**
     * The ACL form {@code http_auth_group(<userlist>) <group>...}: matches when the user the fetch
     * gives belongs to any of the groups; each group must exist in the list (HAProxy refuses the
     * configuration otherwise).
     *
     * @param criterion the fetch as written, {@code http_auth_group(L)}
     */
    public static Matcher groupMatcher(String criterion, List<Pattern> groups, CompileContext ctx, int column)
            throws RuleSyntaxException {
        int open = criterion.indexOf('(');
        int close = criterion.indexOf(')');
        String name = open < 0 || close < open ? "" : criterion.substring(open + 1, close).trim();
        Userlist list = ctx.userlists().get(name);
        if (list == null) {
            throw new RuleSyntaxException(column, "http_auth_group: no userlist named '" + name + "'");
        }
        if (groups.isEmpty()) {
            throw new RuleSyntaxException(column, "http_auth_group(): no groups specified");
        }
        List<String> names = new ArrayList<>(groups.size());
        for (Pattern group : groups) {
            if (!list.hasGroup(group.text())) {
                throw new RuleSyntaxException(column, "http_auth_group(): invalid group '" + group.text() + "'");
            }
            names.add(group.text());
        }
        return sample -> {
            String user = sample.toString();
            for (String group : names) {
                if (list.inGroup(user, group)) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * HAProxy's get_http_auth: the first value of {@code Authorization}, a method word that
     * {@code Basic} starts with (case-insensitive, as its strncasecmp reads it), a space, base64
     * (its length a multiple of 4) of {@code user:password}.
     */
    private static Credentials credentials(Transaction txn) {
        HttpHead request = txn.request();
        String value = request == null ? null : request.header("authorization");
        if (value == null) {
            return null;
        }
        int comma = value.indexOf(',');
        if (comma >= 0) {
            value = value.substring(0, comma);
        }
        int space = value.indexOf(' ');
        if (space <= 0 || space > 5 || !"Basic".regionMatches(true, 0, value, 0, space)) {
            return null;
        }
        String data = value.substring(space + 1);
        if (data.length() % 4 != 0) {
            return null;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String text = new String(decoded, StandardCharsets.ISO_8859_1);
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            text = text.substring(0, nul);
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return null;
        }
        return new Credentials(utf8(text.substring(0, colon)), utf8(text.substring(colon + 1)));
    }

    /** Bytes taken one per char back to the UTF-8 text they spell (user names and passwords are compared as bytes). */
    private static String utf8(String bytes) {
        return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
