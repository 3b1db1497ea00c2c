package io.tally.query.expr;

/**
 * graphite's {@code parseTimeOffset} for interval arguments ({@code '5min'}, {@code '-1d'}, {@code '+30min'},
 * {@code '1h30min'}): an optional sign (default +), then {@code <int><unit>} groups summed. Units by prefix:
 * {@code s}, {@code min}, {@code h}, {@code d}, {@code w}, {@code mon} (30 days), {@code y} (365 days), plus
 * {@code m} alone as minutes (what Grafana users type; never months).
 */
public final class Interval {
    private Interval() {
    }

    /** Signed seconds. @throws IllegalArgumentException with a message naming the bad text */
    public static long seconds(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        String s = text.strip();
        int p = 0;
        int sign = 1;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            sign = s.charAt(0) == '-' ? -1 : 1;
            p = 1;
        }
        if (p >= s.length()) {
            throw new IllegalArgumentException("invalid interval '" + text + "' (expected e.g. 5min, 1h, 7d)");
        }
        long total = 0;
        while (p < s.length()) {
            int numStart = p;
            while (p < s.length() && Character.isDigit(s.charAt(p))) {
                p++;
            }
            if (p == numStart) {
                throw new IllegalArgumentException("invalid interval '" + text + "' (expected a number at '"
                        + s.substring(numStart) + "')");
            }
            long n;
            try {
                n = Long.parseLong(s, numStart, p, 10);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid interval '" + text + "' (number too large)");
            }
            int unitStart = p;
            while (p < s.length() && Character.isLetter(s.charAt(p))) {
                p++;
            }
            long unit = unitSeconds(s.substring(unitStart, p), text);
            try {
                total = Math.addExact(total, Math.multiplyExact(n, unit));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("invalid interval '" + text + "' (out of range)");
            }
        }
        return sign * total;
    }

    /**
     * Seconds in graphite's time unit named by {@code unit} (chosen by prefix: s, min, h, d, w, mon, y; a lone
     * {@code m} is read as minutes, never months), or -1 when the name is not a unit.
     */
    public static long unitSeconds(String unit) {
        if (unit.startsWith("s")) {
            return 1;
        }
        if (unit.startsWith("min") || unit.equals("m")) {
            return 60;
        }
        if (unit.startsWith("h")) {
            return 3600;
        }
        if (unit.startsWith("d")) {
            return 86_400;
        }
        if (unit.startsWith("w")) {
            return 7 * 86_400;
        }
        if (unit.startsWith("mon")) {
            return 30 * 86_400;
        }
        if (unit.startsWith("y")) {
            return 365 * 86_400;
        }
        return -1;
    }

    private static long unitSeconds(String unit, String text) {
        long seconds = unitSeconds(unit);
        if (seconds < 0) {
            throw new IllegalArgumentException("invalid interval '" + text + "': unknown unit '" + unit
                    + "' (use s, min, h, d, w, mon or y)");
        }
        return seconds;
    }

    /** graphite's unit name for an alignment argument ({@code 'hours'}, {@code '1d'}): seconds..years, or null. */
    public static String unitName(String text) {
        String s = text.strip();
        int p = 0;
        while (p < s.length() && (Character.isDigit(s.charAt(p)) || s.charAt(p) == '+' || s.charAt(p) == '-')) {
            p++;
        }
        String u = s.substring(p);
        if (u.startsWith("s")) {
            return "seconds";
        }
        if (u.startsWith("min") || u.equals("m")) {
            return "minutes";
        }
        if (u.startsWith("h")) {
            return "hours";
        }
        if (u.startsWith("d")) {
            return "days";
        }
        if (u.startsWith("w")) {
            return "weeks";
        }
        if (u.startsWith("mon")) {
            return "months";
        }
        if (u.startsWith("y")) {
            return "years";
        }
        return null;
    }
}
