package dev.segmenta.io;

/**
 * Parses ISO-8601 dates and timestamps from UTF-8 bytes into microseconds since 1970-01-01T00:00Z,
 * without allocating (a transaction log has hundreds of millions of them).
 *
 * <p>Accepted: {@code 2024-03-31}, {@code 2024-03-31T14:05}, {@code 2024-03-31 14:05:09},
 * {@code 2024-03-31T14:05:09.123456}, each optionally followed by a zone: {@code Z}, {@code +02:00},
 * {@code -0530} or {@code +02}. Without a zone the time is taken as UTC. Fractions beyond
 * microseconds are truncated. Years 0000–9999.
 */
public final class IsoTimestamps {

    /** Returned for text that is not an accepted date or timestamp. */
    public static final long INVALID = Long.MIN_VALUE;
    public static final long MICROS_PER_DAY = 86_400_000_000L;
    /** What the accepted forms look like, for error messages. */
    public static final String FORMS = "an ISO-8601 date or timestamp such as 2024-03-31, 2024-03-31T14:05:09 or 2024-03-31T14:05:09+02:00";

    private IsoTimestamps() {
    }

    public static long parseMicros(byte[] text, int offset, int length) {
        int end = offset + length;
        while (end > offset && text[end - 1] == ' ') {
            end--;
        }
        int p = offset;
        while (p < end && text[p] == ' ') {
            p++;
        }
        if (end - p < 10 || text[p + 4] != '-' || text[p + 7] != '-') {
            return INVALID;
        }
        int year = digits(text, p, 4);
        int month = digits(text, p + 5, 2);
        int day = digits(text, p + 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return INVALID;
        }
        long micros = epochDay(year, month, day) * MICROS_PER_DAY;
        p += 10;
        if (p == end) {
            return micros;
        }
        if (text[p] != 'T' && text[p] != 't' && text[p] != ' ' || end - p < 6 || text[p + 3] != ':') {
            return INVALID;
        }
        int hour = digits(text, p + 1, 2);
        int minute = digits(text, p + 4, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            return INVALID;
        }
        micros += (hour * 3600L + minute * 60L) * 1_000_000L;
        p += 6;
        if (p < end && text[p] == ':') {
            int second = end - p >= 3 ? digits(text, p + 1, 2) : -1;
            if (second < 0 || second > 59) {
                return INVALID;
            }
            micros += second * 1_000_000L;
            p += 3;
            if (p < end && (text[p] == '.' || text[p] == ',')) {
                p++;
                int start = p;
                long fraction = 0;
                int scale = 1_000_000;
                while (p < end && text[p] >= '0' && text[p] <= '9') {
                    if (scale > 1) {
                        scale /= 10;
                        fraction += (text[p] - '0') * (long) scale;
                    }
                    p++;
                }
                if (p == start) {
                    return INVALID;
                }
                micros += fraction;
            }
        }
        if (p == end) {
            return micros;
        }
        return withZone(text, p, end, micros);
    }

    /** Applies a trailing zone designator: Z, ±hh, ±hhmm or ±hh:mm. */
    private static long withZone(byte[] text, int p, int end, long micros) {
        if ((text[p] == 'Z' || text[p] == 'z') && p + 1 == end) {
            return micros;
        }
        if (text[p] != '+' && text[p] != '-') {
            return INVALID;
        }
        int sign = text[p] == '-' ? -1 : 1;
        int rest = end - p - 1;
        int hours = rest >= 2 ? digits(text, p + 1, 2) : -1;
        int minutes;
        if (rest == 2) {
            minutes = 0;
        } else if (rest == 4) {
            minutes = digits(text, p + 3, 2);
        } else if (rest == 5 && text[p + 3] == ':') {
            minutes = digits(text, p + 4, 2);
        } else {
            return INVALID;
        }
        if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) {
            return INVALID;
        }
        return micros - sign * (hours * 3600L + minutes * 60L) * 1_000_000L;
    }

    /** Days since 1970-01-01 of a {@code yyyy-mm-dd} date, or {@link #INVALID}. */
    public static long parseDate(String text) {
        byte[] bytes = text.strip().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long micros = bytes.length == 10 ? parseMicros(bytes, 0, bytes.length) : INVALID;
        return micros == INVALID ? INVALID : Math.floorDiv(micros, MICROS_PER_DAY);
    }

    /** A day since 1970-01-01 as {@code yyyy-mm-dd}. */
    public static String dateText(long epochDay) {
        return java.time.LocalDate.ofEpochDay(epochDay).toString();
    }

    /** The non-negative number in {@code count} ASCII digits, or -1. */
    private static int digits(byte[] text, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }
}
