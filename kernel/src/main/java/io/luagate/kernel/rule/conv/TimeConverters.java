package io.luagate.kernel.rule.conv;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.sample.Converter;
import io.luagate.spi.sample.Samples;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Locale;
import java.util.TimeZone;

/**
 * Dates: {@code http_date([<offset>],[<unit>])}, {@code ltime(<format>[,<offset>])} and
 * {@code utime(<format>[,<offset>])}. The input is a date in seconds since the epoch (or ms/us for
 * http_date), masked to 55 bits as HAProxy does (so -1 is in year 1141709097), then offset.
 * ltime uses the process' time zone (the TZ environment, as the C library does), read at load.
 */
final class TimeConverters {

    private static final long DATE_MASK = 0x007fffffffffffffL;
    private static final String[] DAYS = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private TimeConverters() {
    }

    static void register(SampleRegistry registry) {
        registry.converter("http_date", (args, context) -> httpDate(args));
        registry.converter("utime", (args, context) -> strftime(args, false));
        registry.converter("ltime", (args, context) -> strftime(args, true));
    }

    private static Converter httpDate(Args args) throws RuleSyntaxException {
        ConvArgs.count(args, 0, 2);
        Long argOffset = ConvArgs.optionalInteger(args, 0);
        long offset = argOffset == null ? 0 : argOffset;
        String unit = ConvArgs.string(args, 1);
        long divisor = switch (unit) {
            case "", "s" -> 1;
            case "ms" -> 1_000;
            case "us" -> 1_000_000;
            default -> throw args.error("expects 's', 'ms' or 'us', got '" + unit + "'");
        };
        boolean fraction = divisor != 1;
        return (txn, input) -> {
            Long value = Samples.asLong(input);
            if (value == null) {
                return null;
            }
            long date = value + offset;
            long subSecond = date % divisor;
            date = (date / divisor) & DATE_MASK;
            BrokenDownTime t = BrokenDownTime.of(date, 0, "GMT", date);
            StringBuilder out = new StringBuilder(40);
            out.append(DAYS[t.weekDay()]).append(", ");
            twoDigits(out, t.day()).append(' ').append(MONTHS[t.month() - 1]).append(' ');
            String year = Long.toString(t.year());
            out.repeat('0', Math.max(0, 4 - year.length())).append(year).append(' ');
            twoDigits(out, t.hour()).append(':');
            twoDigits(out, t.minute()).append(':');
            twoDigits(out, t.second());
            if (fraction) {
                // "%d", not zero-padded: 5 ms after a second is ".5", as in HAProxy.
                out.append('.').append(subSecond);
            }
            return out.append(" GMT").toString();
        };
    }

    private static StringBuilder twoDigits(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private static Converter strftime(Args args, boolean local) throws RuleSyntaxException {
        // As in HAProxy, "utime" and "utime()" have an empty format (and print nothing).
        ConvArgs.count(args, 0, 2);
        Strftime format = Strftime.compile(ConvArgs.string(args, 0));
        Long argOffset = ConvArgs.optionalInteger(args, 1);
        long offset = argOffset == null ? 0 : argOffset;
        ZoneId zone = ZoneId.systemDefault();
        ZoneRules rules = zone.getRules();
        TimeZone timeZone = TimeZone.getTimeZone(zone);
        String standardName = abbreviation(timeZone.getDisplayName(false, TimeZone.SHORT, Locale.US));
        String daylightName = abbreviation(timeZone.getDisplayName(true, TimeZone.SHORT, Locale.US));
        boolean utimeEpochShift = !local && format.usesEpoch() && !rules.isFixedOffset();
        int fixedStandardOffset = rules.isFixedOffset() ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : 0;
        return (txn, input) -> {
            Long value = Samples.asLong(input);
            if (value == null) {
                return null;
            }
            long date = (value & DATE_MASK) + offset;
            BrokenDownTime t;
            if (local) {
                Instant instant = clamp(date);
                int gmtOffset = rules.getOffset(instant).getTotalSeconds();
                String name = rules.isDaylightSavings(instant) ? daylightName : standardName;
                long localDate = date + gmtOffset;
                if (((date ^ localDate) & (gmtOffset ^ localDate)) < 0) {
                    return null;
                }
                t = BrokenDownTime.of(localDate, gmtOffset, name, date);
            } else {
                // glibc prints %s through mktime(), which reads the UTC fields as local standard time.
                long epoch = date - (utimeEpochShift ? rules.getStandardOffset(clamp(date)).getTotalSeconds() : fixedStandardOffset);
                t = BrokenDownTime.of(date, 0, "GMT", epoch);
            }
            return t == null ? null : format.format(t);
        };
    }

    private static Instant clamp(long epochSecond) {
        if (epochSecond <= Instant.MIN.getEpochSecond()) {
            return Instant.MIN;
        }
        return epochSecond >= Instant.MAX.getEpochSecond() ? Instant.MAX : Instant.ofEpochSecond(epochSecond);
    }

    /** Java's "GMT+05:30" style names as tzdata writes numeric abbreviations ("+0530", "+04"). */
    private static String abbreviation(String name) {
        if (name.length() == 9 && name.startsWith("GMT") && (name.charAt(3) == '+' || name.charAt(3) == '-')) {
            String minutes = name.substring(7, 9);
            return name.charAt(3) + name.substring(4, 6) + (minutes.equals("00") ? "" : minutes);
        }
        return name;
    }
}
