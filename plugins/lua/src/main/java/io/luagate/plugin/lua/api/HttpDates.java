package io.luagate.plugin.lua.api;

/**
 * The three HTTP date formats of RFC 7231 §7.1.1.1, read as HAProxy 2.6 reads them
 * ({@code parse_imf_date}, {@code parse_rfc850_date}, {@code parse_asctime_date} in
 * {@code src/tools.c}): names are case-sensitive, every field has its exact number of digits,
 * separators are single characters, and the time is UTC. Like HAProxy, the weekday name must be a
 * real name but is not checked against the date, and bytes after the last field are not looked
 * at. Unlike HAProxy, whose {@code my_timegm} gives "undefined results for invalid dates",
 * fields out of their range (day 32, hour 24, February 30, ...) make the date invalid; second 60
 * (a leap second) is accepted and counts as the next minute's second 0.
 *
 * <p>Hand-written over the string's bytes: nothing is allocated per call but the reader.
 */
final class HttpDates {

    /** What the parsers return for a string that is not a valid date. */
    static final long INVALID = Long.MIN_VALUE;

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] LONG_DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final int[] DAYS_BEFORE_MONTH = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    private static final int[] MONTH_LENGTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    private static final long DAYS_BEFORE_1970 = daysBeforeYear(1970);

    private HttpDates() {
    }

    /** Any of the three formats, tried in RFC order: IMF-fixdate, rfc850-date, asctime-date. */
    static long http(byte[] bytes, int offset, int length) {
        long t = imf(bytes, offset, length);
        if (t == INVALID) {
            t = rfc850(bytes, offset, length);
        }
        if (t == INVALID) {
            t = asctime(bytes, offset, length);
        }
        return t;
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    static long imf(byte[] bytes, int offset, int length) {
        Reader r = new Reader(bytes, offset, length);
        if (r.name(DAYS) < 0 || !r.expect(',') || !r.expect(' ')) {
            return INVALID;
        }
        int day = r.digits(2);
        if (day < 0 || !r.expect(' ')) {
            return INVALID;
        }
        int month = r.name(MONTHS);
        if (month < 0 || !r.expect(' ')) {
            return INVALID;
        }
        int year = r.digits(4);
        if (year < 0 || !r.expect(' ') || !r.time() || !r.expect(' ') || !r.gmt()) {
            return INVALID;
        }
        return r.epoch(year, month, day);
    }

    /**
     * {@code Sunday, 06-Nov-94 08:49:37 GMT}. A two-digit year up to 60 is 20xx, above it 19xx
     * (HAProxy's pivot); a four-digit year ({@code 06-Nov-1994}) is accepted too, as HAProxy does.
     */
    static long rfc850(byte[] bytes, int offset, int length) {
        Reader r = new Reader(bytes, offset, length);
        if (r.name(LONG_DAYS) < 0 || !r.expect(',') || !r.expect(' ')) {
            return INVALID;
        }
        int day = r.digits(2);
        if (day < 0 || !r.expect('-')) {
            return INVALID;
        }
        int month = r.name(MONTHS);
        if (month < 0 || !r.expect('-')) {
            return INVALID;
        }
        int year = r.digits(2);
        if (year < 0) {
            return INVALID;
        }
        if (r.expect(' ')) {
            year += year <= 60 ? 2000 : 1900;
        } else {
            int low = r.digits(2);
            if (low < 0 || !r.expect(' ')) {
                return INVALID;
            }
            year = year * 100 + low;
        }
        if (!r.time() || !r.expect(' ') || !r.gmt()) {
            return INVALID;
        }
        return r.epoch(year, month, day);
    }

    /** {@code Sun Nov  6 08:49:37 1994}: a one-digit day after two spaces, or two digits after one. */
    static long asctime(byte[] bytes, int offset, int length) {
        Reader r = new Reader(bytes, offset, length);
        if (r.name(DAYS) < 0 || !r.expect(' ')) {
            return INVALID;
        }
        int month = r.name(MONTHS);
        if (month < 0 || !r.expect(' ')) {
            return INVALID;
        }
        int day = r.expect(' ') ? r.digits(1) : r.digits(2);
        if (day < 0 || !r.expect(' ') || !r.time() || !r.expect(' ')) {
            return INVALID;
        }
        int year = r.digits(4);
        if (year < 0) {
            return INVALID;
        }
        return r.epoch(year, month, day);
    }

    /** Days from 1 January of year 0 (proleptic Gregorian, year 0 leap) to 1 January of {@code year}. */
    private static long daysBeforeYear(int year) {
        if (year == 0) {
            return 0;
        }
        int y = year - 1;
        return 365L * year + y / 4 - y / 100 + y / 400 + 1;
    }

    private static boolean leap(int year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** A cursor over the date's bytes, with the time of day it read. */
    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private int pos;
        private int hour;
        private int minute;
        private int second;

        Reader(byte[] bytes, int offset, int length) {
            this.bytes = bytes;
            this.pos = offset;
            this.end = offset + length;
        }

        boolean expect(char c) {
            if (pos < end && bytes[pos] == c) {
                pos++;
                return true;
            }
            return false;
        }

        /** Exactly {@code n} decimal digits; their value, or -1. */
        int digits(int n) {
            if (end - pos < n) {
                return -1;
            }
            int value = 0;
            for (int i = 0; i < n; i++) {
                int d = bytes[pos + i] - '0';
                if (d < 0 || d > 9) {
                    return -1;
                }
                value = value * 10 + d;
            }
            pos += n;
            return value;
        }

        /** The index of the name (case-sensitive) that starts here, or -1. No name is a prefix of another. */
        int name(String[] names) {
            for (int i = 0; i < names.length; i++) {
                if (literal(names[i])) {
                    return i;
                }
            }
            return -1;
        }

        private boolean literal(String text) {
            int n = text.length();
            if (end - pos < n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (bytes[pos + i] != text.charAt(i)) {
                    return false;
                }
            }
            pos += n;
            return true;
        }

        boolean gmt() {
            return literal("GMT");
        }

        /** {@code hh:mm:ss}. */
        boolean time() {
            hour = digits(2);
            if (hour < 0 || !expect(':')) {
                return false;
            }
            minute = digits(2);
            if (minute < 0 || !expect(':')) {
                return false;
            }
            second = digits(2);
            return second >= 0;
        }

        /** Seconds since the epoch (negative before 1970), or {@link #INVALID} for a field out of range. */
        long epoch(int year, int month, int day) {
            int monthLength = MONTH_LENGTH[month] + (month == 1 && leap(year) ? 1 : 0);
            if (day < 1 || day > monthLength || hour > 23 || minute > 59 || second > 60) {
                return INVALID;
            }
            long days = daysBeforeYear(year) - DAYS_BEFORE_1970 + DAYS_BEFORE_MONTH[month]
                    + (month > 1 && leap(year) ? 1 : 0) + day - 1;
            return days * 86_400 + hour * 3_600L + minute * 60L + second;
        }
    }
}
