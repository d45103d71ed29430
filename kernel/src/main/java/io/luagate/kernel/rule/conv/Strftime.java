package io.luagate.kernel.rule.conv;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A strftime(3) format compiled once into parts, formatting like glibc 2.36 in the C locale (as
 * HAProxy's ltime and utime converters do): the conversions %a %A %b %B %c %C %d %D %e %F %g %G
 * %h %H %I %j %k %l %m %M %n %p %P %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%, the
 * flags {@code _ - 0 ^ #}, a field width and the E and O modifiers. Anything else is copied as
 * written, as glibc does. Years are not padded ({@code %Y} of year 5 is "5").
 */
final class Strftime {

    private static final String[] DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};
    /** Conversions that reject the E modifier, and those that reject O. */
    private static final String NO_E = "aAbBdDeFgGhHIjklmMSUVwW";
    private static final String NO_O = "aAcDFxXY";
    /** HAProxy formats into a trash chunk of tune.bufsize bytes (16384 by default). */
    private static final int BUFFER_SIZE = 16384;

    /** One piece of the output. */
    @FunctionalInterface
    private interface Part {
        void append(StringBuilder out, BrokenDownTime t);
    }

    /** How a directive was written: its padding flag ('_', '-', '0' or 0), case flags and width (-1: none). */
    private record Style(char pad, boolean upper, boolean swap, int width) {
    }

    private final Part[] parts;
    private final boolean usesEpoch;

    private Strftime(List<Part> parts, boolean usesEpoch) {
        this.parts = parts.toArray(Part[]::new);
        this.usesEpoch = usesEpoch;
    }

    /** Whether the format prints {@code %s} (whose value may cost a time-zone look-up). */
    boolean usesEpoch() {
        return usesEpoch;
    }

    /** The formatted date; "" when it would not fit HAProxy's buffer (strftime() then returns 0). */
    String format(BrokenDownTime t) {
        StringBuilder out = new StringBuilder(32);
        for (Part part : parts) {
            part.append(out, t);
            if (out.length() >= BUFFER_SIZE) {
                return "";
            }
        }
        return out.toString();
    }

    static Strftime compile(String format) {
        boolean[] usesEpoch = new boolean[1];
        List<Part> parts = parse(format, usesEpoch);
        return new Strftime(parts, usesEpoch[0]);
    }

    private static List<Part> parse(String format, boolean[] usesEpoch) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int n = format.length();
        for (int i = 0; i < n; i++) {
            char c = format.charAt(i);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            int begin = i++;
            char pad = 0;
            boolean upper = false;
            boolean swap = false;
            for (; i < n && "_-0^#".indexOf(format.charAt(i)) >= 0; i++) {
                switch (format.charAt(i)) {
                    case '^' -> upper = true;
                    case '#' -> swap = true;
                    default -> pad = format.charAt(i);
                }
            }
            int width = -1;
            for (; i < n && format.charAt(i) >= '0' && format.charAt(i) <= '9'; i++) {
                width = Math.min(BUFFER_SIZE, Math.max(width, 0) * 10 + format.charAt(i) - '0');
            }
            char modifier = 0;
            if (i < n && (format.charAt(i) == 'E' || format.charAt(i) == 'O')) {
                modifier = format.charAt(i++);
            }
            Style style = new Style(pad, upper, swap, width);
            Part part = null;
            if (i < n) {
                char conversion = format.charAt(i);
                boolean badModifier = (modifier == 'E' && NO_E.indexOf(conversion) >= 0)
                        || (modifier == 'O' && NO_O.indexOf(conversion) >= 0);
                part = badModifier ? null : directive(conversion, style);
                usesEpoch[0] |= part != null && conversion == 's';
                // glibc applies '#' to %b before it rejects E, so "%#Eb" is copied as "%#EB".
                upper |= badModifier && swap && (conversion == 'b' || conversion == 'h');
            } else {
                i = n - 1; // a directive cut by the end of the format is copied as written
            }
            if (part == null) {
                String written = format.substring(begin, i + 1);
                literal.append(padded(upper ? written.toUpperCase(Locale.ROOT) : written, style));
                continue;
            }
            if (!literal.isEmpty()) {
                String text = literal.toString();
                parts.add((out, t) -> out.append(text));
                literal.setLength(0);
            }
            parts.add(part);
        }
        if (!literal.isEmpty()) {
            String text = literal.toString();
            parts.add((out, t) -> out.append(text));
        }
        return parts;
    }

    /** The part for {@code %<conversion>}, or {@code null} when glibc does not know it. */
    private static Part directive(char conversion, Style s) {
        return switch (conversion) {
            case 'a' -> text(s, t -> DAYS[t.weekDay()].substring(0, 3), true);
            case 'A' -> text(s, t -> DAYS[t.weekDay()], true);
            case 'b', 'h' -> text(s, t -> MONTHS[t.month() - 1].substring(0, 3), true);
            case 'B' -> text(s, t -> MONTHS[t.month() - 1], true);
            case 'p' -> text(s, t -> t.hour() < 12 ? "AM" : "PM", false);
            case 'P' -> text(new Style(s.pad(), false, true, s.width()), t -> t.hour() < 12 ? "am" : "pm", false);
            case 'Z' -> text(s, BrokenDownTime::zone, false);
            case 'c' -> composite(s, "%a %b %e %H:%M:%S %Y");
            case 'D', 'x' -> composite(s, "%m/%d/%y");
            case 'F' -> composite(s, "%Y-%m-%d");
            case 'r' -> composite(s, "%I:%M:%S %p");
            case 'R' -> composite(s, "%H:%M");
            case 'T', 'X' -> composite(s, "%H:%M:%S");
            case 'n' -> constant(s, "\n");
            case 't' -> constant(s, "\t");
            case '%' -> constant(s, "%");
            case 'C' -> number(s, 1, '0', t -> Math.floorDiv(t.year(), 100), true);
            case 'd' -> number(s, 2, '0', BrokenDownTime::day, true);
            case 'e' -> number(s, 2, '_', BrokenDownTime::day, true);
            case 'H' -> number(s, 2, '0', BrokenDownTime::hour, true);
            case 'k' -> number(s, 2, '_', BrokenDownTime::hour, true);
            case 'I' -> number(s, 2, '0', Strftime::hour12, true);
            case 'l' -> number(s, 2, '_', Strftime::hour12, true);
            case 'j' -> number(s, 3, '0', t -> t.yearDay() + 1, true);
            case 'm' -> number(s, 2, '0', BrokenDownTime::month, true);
            case 'M' -> number(s, 2, '0', BrokenDownTime::minute, true);
            case 'S' -> number(s, 2, '0', BrokenDownTime::second, true);
            case 's' -> number(s, 1, '0', BrokenDownTime::epoch, false);
            case 'u' -> number(s, 1, '0', t -> t.weekDay() == 0 ? 7 : t.weekDay(), true);
            case 'w' -> number(s, 1, '0', BrokenDownTime::weekDay, true);
            case 'U' -> number(s, 2, '0', t -> (t.yearDay() - t.weekDay() + 7) / 7, true);
            case 'W' -> number(s, 2, '0', t -> (t.yearDay() - (t.weekDay() - 1 + 7) % 7 + 7) / 7, true);
            case 'V' -> number(s, 2, '0', t -> isoWeek(t)[1], true);
            case 'G' -> number(s, 1, '0', t -> isoWeek(t)[0], true);
            case 'g' -> number(s, 2, '0', t -> Math.floorMod(isoWeek(t)[0], 100), true);
            case 'y' -> number(s, 2, '0', t -> Math.floorMod(t.year(), 100), true);
            case 'Y' -> number(s, 1, '0', BrokenDownTime::year, true);
            case 'z' -> zoneOffset(s);
            default -> null;
        };
    }

    private static long hour12(BrokenDownTime t) {
        int h = t.hour() % 12;
        return h == 0 ? 12 : h;
    }

    /** The ISO 8601 week-based year and week number, computed as glibc does. */
    private static long[] isoWeek(BrokenDownTime t) {
        long year = t.year();
        int days = isoWeekDays(t.yearDay(), t.weekDay());
        if (days < 0) {
            year--;
            days = isoWeekDays(t.yearDay() + (BrokenDownTime.isLeap(year) ? 366 : 365), t.weekDay());
        } else {
            int next = isoWeekDays(t.yearDay() - (BrokenDownTime.isLeap(year) ? 366 : 365), t.weekDay());
            if (next >= 0) {
                year++;
                days = next;
            }
        }
        return new long[] {year, days / 7 + 1};
    }

    /** Days since the Monday of the first ISO week of the year (negative: in the previous year's). */
    private static int isoWeekDays(int yearDay, int weekDay) {
        int bigEnoughMultipleOf7 = (366 / 7 + 2) * 7;
        return yearDay - (yearDay - weekDay + 4 + bigEnoughMultipleOf7) % 7 + 4 - 1;
    }

    private interface LongField {
        long get(BrokenDownTime t);
    }

    private interface TextField {
        String get(BrokenDownTime t);
    }

    /**
     * A number as glibc's do_number: padded with zeros (or spaces for {@code defaultPad} '_', or
     * as the flags say) to its usual digits or the width, the sign before zeros; the '-' flag drops
     * that padding but a width still pads with spaces. {@code %s} pads to the width only, and with
     * zeros before its sign, as glibc does ({@code widthIsDigits} false).
     */
    private static Part number(Style s, int usualDigits, char defaultPad, LongField field, boolean widthIsDigits) {
        char pad = defaultPad == '_' && s.pad() != '0' && s.pad() != '-' ? '_' : s.pad();
        int digits = widthIsDigits ? Math.max(usualDigits, s.width()) : usualDigits;
        return (out, t) -> appendNumber(out, field.get(t), digits, pad, s.width());
    }

    private static void appendNumber(StringBuilder out, long value, int digits, char pad, int width) {
        String text = Long.toString(value);
        if (pad != '-') {
            int padding = digits - text.length();
            if (padding > 0) {
                if (pad == '_') {
                    out.repeat(' ', padding);
                    width = width > padding ? width - padding : 0;
                } else {
                    if (value < 0) {
                        out.append('-');
                        text = text.substring(1);
                    }
                    out.repeat('0', padding);
                    width = 0;
                }
            }
        }
        add(out, text, width, pad);
    }

    /** glibc's add(): {@code text} right-aligned in {@code width}, with zeros for the '0' flag, else spaces. */
    private static void add(StringBuilder out, String text, int width, char pad) {
        if (width > text.length()) {
            out.repeat(pad == '0' ? '0' : ' ', width - text.length());
        }
        out.append(text);
    }

    /**
     * A name. For day and month names '^' and '#' upper-case; for AM/PM and the zone '#' lower-cases
     * and wins over '^' ({@code upperOnSwap} false), as in glibc.
     */
    private static Part text(Style s, TextField field, boolean upperOnSwap) {
        boolean lower = s.swap() && !upperOnSwap;
        boolean upper = !lower && (s.upper() || s.swap());
        return (out, t) -> {
            String value = field.get(t);
            if (lower) {
                value = value.toLowerCase(Locale.ROOT);
            } else if (upper) {
                value = value.toUpperCase(Locale.ROOT);
            }
            add(out, value, s.width(), s.pad());
        };
    }

    private static Part composite(Style s, String format) {
        Strftime inner = compile(format);
        return (out, t) -> {
            String value = inner.format(t);
            out.append(padded(s.upper() ? value.toUpperCase(Locale.ROOT) : value, s));
        };
    }

    private static Part constant(Style s, String value) {
        String text = padded(value, s);
        return (out, t) -> out.append(text);
    }

    /**
     * %z: the sign, then hhmm as a 4-digit number (seconds of the offset are dropped). glibc applies
     * the width to both ("%6z" is "     +000000").
     */
    private static Part zoneOffset(Style s) {
        int digits = Math.max(4, s.width());
        return (out, t) -> {
            int offset = t.gmtOffset();
            int abs = Math.abs(offset);
            add(out, offset < 0 ? "-" : "+", s.width(), s.pad());
            appendNumber(out, abs / 3600 * 100 + abs / 60 % 60, digits, s.pad(), s.width());
        };
    }

    /** {@code value} right-aligned in the width, with zeros for the '0' flag, else spaces. */
    private static String padded(String value, Style s) {
        StringBuilder out = new StringBuilder();
        add(out, value, s.width(), s.pad());
        return out.toString();
    }
}
