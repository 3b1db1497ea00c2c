package io.tally.alerting;

/** Durations as definitions write them: {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}, {@code 1w}, or bare seconds. */
public final class Durations {
    private Durations() {
    }

    /**
     * Seconds of a duration text.
     *
     * @throws IllegalArgumentException when the text is not a non-negative whole number with an optional unit
     */
    public static long parseSeconds(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        int end = s.length();
        long unit = 1;
        char last = s.charAt(end - 1);
        switch (last) {
            case 's' -> { unit = 1; end--; }
            case 'm' -> { unit = 60; end--; }
            case 'h' -> { unit = 3600; end--; }
            case 'd' -> { unit = 86_400; end--; }
            case 'w' -> { unit = 604_800; end--; }
            default -> { }
        }
        if (end == 0 || end > 9) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 30s, 10m, 2h, 1d)");
        }
        long n = 0;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 30s, 10m, 2h, 1d)");
            }
            n = n * 10 + (c - '0');
        }
        return n * unit;
    }

    /** The shortest exact spelling: {@code 600} → {@code 10m}, {@code 90} → {@code 90s}. */
    public static String format(long seconds) {
        if (seconds != 0 && seconds % 604_800 == 0) {
            return seconds / 604_800 + "w";
        }
        if (seconds != 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
