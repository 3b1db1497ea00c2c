package io.tally.query;

import io.tally.query.expr.Interval;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * graphite-web's time grammar for {@code from}, {@code until} and {@code now} (spec §3.1.1), returning epoch
 * seconds.
 *
 * <p>Forms: epoch seconds; {@code YYYYMMDD}; {@code HH:MM_YYYYMMDD}; a reference ({@code now}, a time of day
 * {@code HH:MM[am|pm]}, {@code Xam}, {@code XXpm}, {@code noon}, {@code midnight}, {@code teatime}, followed by an
 * optional day {@code today}, {@code yesterday}, {@code tomorrow}, {@code MM/DD/YY[YY]}, {@code YYYYMMDD}, a month
 * name and day {@code jan1}, or a weekday name) and an optional signed offset of {@code <int><unit>} groups
 * ({@code -1h30min}; units by prefix: {@code s}, {@code min}, {@code h}, {@code d}, {@code w}, {@code mon} = 30 days,
 * {@code y} = 365 days, and {@code m} alone = minutes as carbonapi and Grafana's clients expect).
 *
 * <p>Deviations from graphite-web, all in the lenient or corrected direction: {@code m} is accepted as minutes;
 * {@code 12am} is midnight and {@code 12pm} noon (graphite-web swaps them); a month name with a day is set as one
 * date (graphite-web fails on {@code feb1} when today is the 31st); {@code 9:00yesterday} (13 characters with a
 * colon) is not mistaken for {@code HH:MM_YYYYMMDD}. A reference is wall-clock time in {@code zone}; offsets are exact
 * seconds added to the resulting instant (as pytz does).
 */
public final class TimeSpec {
    private static final String[] MONTHS =
            {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    private static final String[] WEEKDAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

    private TimeSpec() {
    }

    /**
     * Parses {@code spec} relative to {@code nowSeconds} in {@code zone}.
     *
     * @throws IllegalArgumentException with graphite-web's wording ("Unknown day reference: x", "Invalid offset
     *                                  unit 'x'") when the text does not parse
     */
    public static long parse(String spec, long nowSeconds, ZoneId zone) {
        String s = normalize(spec);
        if (!s.isEmpty() && allDigits(s, 0, s.length())) {
            if (!looksLikeDate(s)) {
                try {
                    return Long.parseLong(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Invalid epoch time: " + s);
                }
            }
        } else if (s.length() == 13 && isTimeAndDate(s)) {
            LocalDateTime t = dateTime(num(s, 5, 9), num(s, 9, 11), num(s, 11, 13), num(s, 0, 2), num(s, 3, 5), spec);
            return localize(t, zone);
        }
        int split = s.indexOf('+');
        if (split < 0) {
            split = s.indexOf('-');
        }
        String ref = split < 0 ? s : s.substring(0, split);
        long offset = split < 0 ? 0 : parseOffset(s.substring(split));
        long base = parseReference(ref, nowSeconds, zone);
        try {
            return Math.addExact(base, offset);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Time out of range: " + s);
        }
    }

    /** graphite-web's normalisation: trim, lower case, drop every {@code _}, {@code ,} and space. */
    static String normalize(String spec) {
        StringBuilder b = new StringBuilder(spec.length());
        String t = spec.strip();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '_' || c == ',' || c == ' ') {
                continue;
            }
            b.append(Character.toLowerCase(c));
        }
        return b.toString();
    }

    private static boolean looksLikeDate(String s) {
        return s.length() == 8 && num(s, 0, 4) > 1900 && num(s, 4, 6) < 13 && num(s, 6, 8) < 32;
    }

    /** {@code HH:MMYYYYMMDD} after normalisation (the {@code _} is gone). */
    private static boolean isTimeAndDate(String s) {
        return s.charAt(2) == ':' && allDigits(s, 0, 2) && allDigits(s, 3, 13);
    }

    // ---- reference ----

    private static long parseReference(String ref, long nowSeconds, ZoneId zone) {
        if (ref.isEmpty() || ref.equals("now")) {
            return nowSeconds;
        }
        String raw = ref;
        int hour = 0;
        int minute = 0;

        int colon = ref.indexOf(':');
        if (colon > 0 && colon < 3) {
            hour = intOf(ref, 0, colon, raw);
            if (ref.length() < colon + 3) {
                throw new IllegalArgumentException("Invalid time of day: " + raw);
            }
            minute = intOf(ref, colon + 1, colon + 3, raw);
            ref = ref.substring(colon + 3);
            if (ref.startsWith("am")) {
                hour = twelveHour(hour, false, raw);
                ref = ref.substring(2);
            } else if (ref.startsWith("pm")) {
                hour = twelveHour(hour, true, raw);
                ref = ref.substring(2);
            }
        }
        int am = ref.indexOf("am");
        if (am > 0 && am < 3) {
            hour = twelveHour(intOf(ref, 0, am, raw), false, raw);
            ref = ref.substring(am + 2);
        }
        int pm = ref.indexOf("pm");
        if (pm > 0 && pm < 3) {
            hour = twelveHour(intOf(ref, 0, pm, raw), true, raw);
            ref = ref.substring(pm + 2);
        }
        if (ref.startsWith("noon")) {
            hour = 12;
            minute = 0;
            ref = ref.substring(4);
        } else if (ref.startsWith("midnight")) {
            hour = 0;
            minute = 0;
            ref = ref.substring(8);
        } else if (ref.startsWith("teatime")) {
            hour = 16;
            minute = 0;
            ref = ref.substring(7);
        }
        if (hour > 23 || minute > 59) {
            throw new IllegalArgumentException("Invalid time of day: " + raw);
        }

        LocalDate today = Instant.ofEpochSecond(nowSeconds).atZone(zone).toLocalDate();
        LocalDate day = parseDay(ref, today, raw);
        return localize(day.atTime(hour, minute), zone);
    }

    private static LocalDate parseDay(String ref, LocalDate today, String raw) {
        switch (ref) {
            case "", "today" -> {
                return today;
            }
            case "yesterday" -> {
                return today.minusDays(1);
            }
            case "tomorrow" -> {
                return today.plusDays(1);
            }
            default -> {
                // fall through to the structured forms below
            }
        }
        if (count(ref, '/') == 2) {
            int a = ref.indexOf('/');
            int b = ref.indexOf('/', a + 1);
            int month = intOf(ref, 0, a, raw);
            int dom = intOf(ref, a + 1, b, raw);
            int year = intOf(ref, b + 1, ref.length(), raw);
            if (year < 1900) {
                year += 1900;
            }
            if (year < 1970) {
                year += 100;
            }
            return date(year, month, dom, raw);
        }
        if (ref.length() == 8 && allDigits(ref, 0, 8)) {
            return date(num(ref, 0, 4), num(ref, 4, 6), num(ref, 6, 8), raw);
        }
        if (ref.length() >= 3) {
            String head = ref.substring(0, 3);
            int month = indexOf(MONTHS, head);
            if (month >= 0) {
                int n = ref.length();
                int dom;
                if (n >= 2 && allDigits(ref, n - 2, n)) {
                    dom = num(ref, n - 2, n);
                } else if (allDigits(ref, n - 1, n)) {
                    dom = num(ref, n - 1, n);
                } else {
                    throw new IllegalArgumentException("Day of month required after month name: " + raw);
                }
                return date(today.getYear(), month + 1, dom == 0 ? today.getDayOfMonth() : dom, raw);
            }
            int weekday = indexOf(WEEKDAYS, head);
            if (weekday >= 0) {
                int todayIndex = today.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue();
                int back = todayIndex - weekday;
                if (back < 0) {
                    back += 7;
                }
                return today.minusDays(back);
            }
        }
        throw new IllegalArgumentException("Unknown day reference: " + raw);
    }

    private static int twelveHour(int hour, boolean pm, String raw) {
        if (hour < 1 || hour > 12) {
            throw new IllegalArgumentException("Invalid hour for am/pm: " + raw);
        }
        return pm ? (hour % 12) + 12 : hour % 12;
    }

    // ---- offset ----

    /** {@code ±<int><unit>...}, summed; returns seconds. */
    static long parseOffset(String offset) {
        int p = 0;
        int sign = 1;
        char first = offset.charAt(0);
        if (first == '+' || first == '-') {
            sign = first == '-' ? -1 : 1;
            p = 1;
        }
        if (p == offset.length()) {
            throw new IllegalArgumentException("Invalid offset: '" + offset + "' (expected a number and a unit)");
        }
        long total = 0;
        while (p < offset.length()) {
            int numStart = p;
            while (p < offset.length() && isDigit(offset.charAt(p))) {
                p++;
            }
            if (p == numStart) {
                throw new IllegalArgumentException("Invalid offset: '" + offset + "' (expected a number)");
            }
            long n;
            try {
                n = Long.parseLong(offset, numStart, p, 10);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid offset: '" + offset + "' (number too large)");
            }
            int unitStart = p;
            while (p < offset.length() && Character.isLetter(offset.charAt(p))) {
                p++;
            }
            long unitSeconds = unitSeconds(offset.substring(unitStart, p));
            try {
                total = Math.addExact(total, Math.multiplyExact(n, unitSeconds));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("Invalid offset: '" + offset + "' (out of range)");
            }
        }
        return sign * total;
    }

    private static long unitSeconds(String unit) {
        long seconds = Interval.unitSeconds(unit);
        if (seconds < 0) {
            throw new IllegalArgumentException("Invalid offset unit '" + unit + "' (use s, min, h, d, w, mon or y)");
        }
        return seconds;
    }

    // ---- helpers ----

    private static long localize(LocalDateTime t, ZoneId zone) {
        // Like pytz's localize(is_dst=False): in an autumn overlap take the later (standard-time) offset.
        return ZonedDateTime.ofLocal(t, zone, null).withLaterOffsetAtOverlap().toEpochSecond();
    }

    private static LocalDate date(int year, int month, int dom, String raw) {
        try {
            return LocalDate.of(year, month, dom);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Invalid date: " + raw);
        }
    }

    private static LocalDateTime dateTime(int year, int month, int dom, int hour, int minute, String raw) {
        try {
            return LocalDateTime.of(year, month, dom, hour, minute);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Invalid date: " + raw);
        }
    }

    private static int intOf(String s, int from, int to, String raw) {
        if (from >= to || to - from > 9 || !allDigits(s, from, to)) {
            throw new IllegalArgumentException("Unknown day reference: " + raw);
        }
        return num(s, from, to);
    }

    /** Digits only, caller checked. */
    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    private static boolean allDigits(String s, int from, int to) {
        if (from < 0 || from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private static int indexOf(String[] names, String head) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(head)) {
                return i;
            }
        }
        return -1;
    }
}
