package io.luagate.kernel.rule.conv;

/**
 * A C {@code struct tm}: the calendar fields of an instant at some UTC offset, computed with
 * 64-bit arithmetic on the proleptic Gregorian calendar, so years far beyond java.time's range
 * (HAProxy masks dates to 55 bits: up to year 1141709097) still work.
 *
 * @param year      the full year (year 0 is 1 BC, as in C)
 * @param month     1 to 12
 * @param day       1 to 31
 * @param hour      0 to 23
 * @param minute    0 to 59
 * @param second    0 to 59
 * @param weekDay   0 (Sunday) to 6
 * @param yearDay   0 to 365
 * @param gmtOffset the offset from UTC, in seconds
 * @param zone      the zone's abbreviation ("GMT", "CET", ...)
 * @param epoch     the value {@code %s} prints
 */
record BrokenDownTime(long year, int month, int day, int hour, int minute, int second,
                      int weekDay, int yearDay, int gmtOffset, String zone, long epoch) {

    /** The fields of local time {@code localSeconds} (epoch seconds plus the offset); {@code null} if the year overflows C's int. */
    static BrokenDownTime of(long localSeconds, int gmtOffset, String zone, long epoch) {
        long days = Math.floorDiv(localSeconds, 86400L);
        int secondOfDay = (int) Math.floorMod(localSeconds, 86400L);
        // Howard Hinnant's civil_from_days().
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long dayOfEra = z - era * 146097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year - 1900 > Integer.MAX_VALUE || year - 1900 < Integer.MIN_VALUE) {
            return null;
        }
        int yearDay = (int) (days - daysFromCivil(year, 1, 1));
        int weekDay = (int) Math.floorMod(days + 4, 7L);
        return new BrokenDownTime(year, month, day, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60,
                weekDay, yearDay, gmtOffset, zone, epoch);
    }

    /** Days from 1970-01-01 to the given date (Hinnant's days_from_civil()). */
    static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    static boolean isLeap(long year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }
}
