package io.luagate.kernel.rule.fetch;

import io.luagate.kernel.rule.match.IpAddresses;
import io.luagate.kernel.rule.match.MatchMethod;
import io.luagate.kernel.rule.sample.FetchCompiler;
import io.luagate.kernel.rule.sample.MultiValueFetch;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.rule.Transaction;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Header values and cookies read as numbers or addresses, and cookies counted: HAProxy's
 * {@code hdr_val}, {@code hdr_ip}, {@code cook_val} and {@code cook_cnt}, with their {@code req.},
 * {@code res.} and {@code s} (response) spellings. The numbers are HAProxy's {@code strl2ic}
 * (32-bit, stopping at the first character above '9'), the addresses its {@code url2ipv4} (with an
 * optional {@code :port}) or {@code inet_pton(AF_INET6)}.
 */
final class TypedHeaderFetches {

    private TypedHeaderFetches() {
    }

    static void register(SampleRegistry registry, Map<String, MatchMethod> defaultMatch) {
        Function<Transaction, HttpHead> request = Transaction::request;
        Function<Transaction, HttpHead> response = Transaction::response;
        for (String prefix : new String[] {"", "req.", "res.", "s"}) {
            boolean res = prefix.equals("res.") || prefix.equals("s");
            Function<Transaction, HttpHead> which = res ? response : request;
            String hdr = prefix + "hdr_";
            registry.fetch(hdr + "val", headerFetch(which, TypedHeaderFetches::integer));
            registry.fetch(hdr + "ip", headerFetch(which, TypedHeaderFetches::address));
            defaultMatch.put(hdr + "val", MatchMethod.INT);
            defaultMatch.put(hdr + "ip", MatchMethod.IP);
            String cook = prefix.equals("s") ? "scook_" : prefix + "cook_";
            String header = res ? "set-cookie" : "cookie";
            registry.fetch(cook + "val", cookieValue(which, header, res));
            registry.fetch(cook + "cnt", cookieCount(which, header, res));
            defaultMatch.put(cook + "val", MatchMethod.INT);
            defaultMatch.put(cook + "cnt", MatchMethod.INT);
        }
    }

    /**
     * A header value turned into a sample ({@code null}: this value gives none). With an occurrence
     * only that value counts; without one the last value is the sample, and an ACL tries every
     * value that converts.
     */
    private static FetchCompiler headerFetch(Function<Transaction, HttpHead> which, Function<String, Object> convert) {
        return (args, ctx) -> {
            if (args.expect(0, 2).count() == 0) {
                // HAProxy declares the name optional; its fetch finds nothing without one.
                return txn -> null;
            }
            String name = args.string(0);
            int occurrence = (int) args.integer(1, 0);
            if (occurrence != 0) {
                return txn -> {
                    HttpHead head = which.apply(txn);
                    String value = head == null ? null : HeaderValues.value(head, name, occurrence, true);
                    return value == null ? null : convert.apply(value);
                };
            }
            return new MultiValueFetch() {
                @Override
                public Object fetch(Transaction txn) {
                    HttpHead head = which.apply(txn);
                    String value = head == null ? null : HeaderValues.value(head, name, -1, true);
                    return value == null ? null : convert.apply(value);
                }

                @Override
                public int count(Transaction txn) {
                    HttpHead head = which.apply(txn);
                    return head == null ? 0 : (int) HeaderValues.count(head, name, true);
                }

                @Override
                public Object value(Transaction txn, int index) {
                    HttpHead head = which.apply(txn);
                    String value = head == null ? null : HeaderValues.value(head, name, index + 1, true);
                    return value == null ? null : convert.apply(value);
                }
            };
        };
    }

    /** {@code cook_val}: the named cookie's last value (the first cookie's without a name), as a number. */
    private static FetchCompiler cookieValue(Function<Transaction, HttpHead> which, String header, boolean response) {
        return (args, ctx) -> {
            String name = args.expect(0, 1).string(0, "");
            if (name.isEmpty()) {
                return txn -> {
                    HttpHead head = which.apply(txn);
                    String value = head == null ? null : HeaderValues.firstCookie(head, header, response);
                    return value == null ? null : integer(value);
                };
            }
            return new MultiValueFetch() {
                @Override
                public Object fetch(Transaction txn) {
                    List<String> values = values(txn);
                    return values.isEmpty() ? null : integer(values.get(values.size() - 1));
                }

                @Override
                public int count(Transaction txn) {
                    return values(txn).size();
                }

                @Override
                public Object value(Transaction txn, int index) {
                    List<String> values = values(txn);
                    return index < values.size() ? integer(values.get(index)) : null;
                }

                private List<String> values(Transaction txn) {
                    HttpHead head = which.apply(txn);
                    return head == null ? List.of() : HeaderValues.cookies(head, header, name, response);
                }
            };
        };
    }

    /** {@code cook_cnt}: how many cookies of that name (of any name without one) the message carries. */
    private static FetchCompiler cookieCount(Function<Transaction, HttpHead> which, String header, boolean response) {
        return (args, ctx) -> {
            String name = args.expect(0, 1).string(0, "");
            String wanted = name.isEmpty() ? null : name;
            return txn -> {
                HttpHead head = which.apply(txn);
                return head == null ? null : (long) HeaderValues.cookies(head, header, wanted, response).size();
            };
        };
    }

    /**
     * HAProxy's {@code strl2ic}: digits accumulate in a 32-bit int and the first character above
     * '9' ends the number; characters below '0' are not checked, so they count as negative digits
     * ({@code "1 2"} is -58), as bytes of a C {@code char} do.
     */
    static Long integer(String text) {
        int len = text.length();
        int i = 0;
        if (len > 0) {
            int pos = 0;
            if (text.charAt(0) != '-') {
                while (len-- > 0) {
                    int j = (byte) text.charAt(pos++) - '0';
                    int k = i * 10;
                    if (j > 9) {
                        break;
                    }
                    i = k + j;
                }
            } else {
                pos++;
                while (--len > 0) {
                    int j = (byte) text.charAt(pos++) - '0';
                    int k = i * 10;
                    if (j > 9) {
                        break;
                    }
                    i = k - j;
                }
            }
        }
        return (long) i;
    }

    /**
     * {@code hdr_ip}'s reading: a whole IPv4 address ({@code url2ipv4}), one followed by
     * {@code :port} with a port in 0..65535, or an IPv6 address; anything else gives no sample.
     */
    static InetAddress address(String text) {
        int length = text.length();
        int end = ipv4Length(text);
        if (end > 0 && (end == length || text.charAt(end) == ':' && isPort(text, end + 1))) {
            return IpAddresses.toInetAddress(IpAddresses.v4Bytes((int) IpAddresses.parseIpv4Prefix(text, 0, end)));
        }
        int nul = text.indexOf('\0');
        byte[] v6 = IpAddresses.parseIpv6(text, 0, nul < 0 ? length : nul);
        return v6 == null ? null : IpAddresses.toInetAddress(v6);
    }

    /**
     * HAProxy's {@code url2ipv4}: how many characters four dotted decimal octets take at the start
     * of the text (it stops at the first character that is neither a digit nor a dot), or 0.
     */
    private static int ipv4Length(String text) {
        int octets = 0;
        int current = 0;
        boolean sawDigit = false;
        int i = 0;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                current = current * 10 + (c - '0');
                if (current > 255) {
                    return 0;
                }
                if (!sawDigit) {
                    if (++octets > 4) {
                        return 0;
                    }
                    sawDigit = true;
                }
            } else if (c == '.') {
                if (!sawDigit || octets == 4) {
                    return 0;
                }
                current = 0;
                sawDigit = false;
            } else {
                break;
            }
        }
        return octets < 4 ? 0 : i;
    }

    /**
     * HAProxy's {@code strl2irc} on the rest of the text, then 0..65535: only digits after an
     * optional '-' (so {@code "-0"} and a lone {@code "-"} are port 0), no overflow; empty is none.
     */
    private static boolean isPort(String text, int from) {
        if (from >= text.length()) {
            return false;
        }
        boolean negative = text.charAt(from) == '-';
        long value = 0;
        for (int i = negative ? from + 1 : from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
            if (value > Integer.MAX_VALUE) {
                return false;
            }
        }
        return negative ? value == 0 : value <= 65535;
    }
}
