package io.tally.engine.config;

/**
 * One whisper archive: {@code points} slots of {@code secondsPerPoint} seconds each. Both are at least 1.
 * {@link #toString()} writes carbon's retention syntax with the largest exact units ({@code 1m:7d}), which
 * {@link StorageSchemas#parseRetentions} reads back to an equal archive.
 */
public record Archive(int secondsPerPoint, int points) {
    private static final long[] UNIT_SECONDS = {365L * 86400, 7L * 86400, 86400, 3600, 60, 1};
    private static final char[] UNIT_NAMES = {'y', 'w', 'd', 'h', 'm', 's'};

    public Archive {
        if (secondsPerPoint < 1) {
            throw new IllegalArgumentException("secondsPerPoint must be at least 1, got " + secondsPerPoint);
        }
        if (points < 1) {
            throw new IllegalArgumentException("points must be at least 1, got " + points);
        }
    }

    /** Time this archive covers: {@code secondsPerPoint × points}. */
    public long retentionSeconds() {
        return (long) secondsPerPoint * points;
    }

    @Override
    public String toString() {
        return duration(secondsPerPoint) + ":" + duration(retentionSeconds());
    }

    /** {@code seconds} in the largest carbon unit that divides it exactly, e.g. 600 → {@code 10m}. */
    static String duration(long seconds) {
        for (int i = 0; i < UNIT_SECONDS.length; i++) {
            if (seconds % UNIT_SECONDS[i] == 0) {
                return (seconds / UNIT_SECONDS[i]) + String.valueOf(UNIT_NAMES[i]);
            }
        }
        throw new AssertionError("1 divides everything");
    }
}
