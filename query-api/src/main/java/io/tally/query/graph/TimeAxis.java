package io.tally.query.graph;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Time labels under the plot: the smallest step from a fixed ladder (seconds to a year) whose labels fit side by
 * side in the plot width, ticks at whole multiples of the step in the request's zone (so "00:00" is local
 * midnight, across DST changes too), and a label format chosen by the step and the span: {@code HH:mm:ss} below a
 * minute, {@code HH:mm} within one day, {@code MM/dd HH:mm} beyond, {@code MM/dd} for day steps, {@code yyyy/MM}
 * for month steps. Immutable.
 */
final class TimeAxis {
    private static final long MINUTE = 60;
    private static final long HOUR = 3600;
    private static final long DAY = 86_400;
    private static final long[] STEPS = {1, 2, 5, 10, 15, 30, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE,
            15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY,
            7 * DAY, 14 * DAY, 30 * DAY, 90 * DAY, 180 * DAY, 365 * DAY};
    private static final int MAX_TICKS = 200;

    final long[] ticks;
    final String[] labels;

    private TimeAxis(long[] ticks, String[] labels) {
        this.ticks = ticks;
        this.labels = labels;
    }

    static TimeAxis of(long from, long until, ZoneId zone, double plotWidth, Canvas canvas, double fontSize) {
        long span = Math.max(1, until - from);
        for (long step : STEPS) {
            if (span / step > MAX_TICKS) {
                continue;
            }
            DateTimeFormatter f = formatter(step, span);
            double labelWidth = canvas.textWidth(f.format(ZonedDateTime.ofInstant(Instant.ofEpochSecond(from),
                    zone)), fontSize, false) + fontSize * 1.5;
            if ((double) span / step * labelWidth <= plotWidth || step == STEPS[STEPS.length - 1]) {
                return build(from, until, zone, step, f);
            }
        }
        return new TimeAxis(new long[0], new String[0]);
    }

    static DateTimeFormatter formatter(long step, long span) {
        String pattern = step < MINUTE ? "HH:mm:ss"
                : step < DAY ? (span <= DAY ? "HH:mm" : "MM/dd HH:mm")
                : step < 30 * DAY ? "MM/dd"
                : "yyyy/MM";
        return DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
    }

    private static TimeAxis build(long from, long until, ZoneId zone, long step, DateTimeFormatter f) {
        List<Long> ticks = new ArrayList<>();
        long offset = zone.getRules().getOffset(Instant.ofEpochSecond(from)).getTotalSeconds();
        long local = Math.floorDiv(from + offset + step - 1, step) * step;
        while (ticks.size() < MAX_TICKS) {
            LocalDateTime ldt = LocalDateTime.ofEpochSecond(local, 0, ZoneOffset.UTC);
            long t = ZonedDateTime.of(ldt, zone).toEpochSecond();
            if (t > until) {
                break;
            }
            if (t >= from && (ticks.isEmpty() || t > ticks.get(ticks.size() - 1))) {
                ticks.add(t);
            }
            local += step;
        }
        long[] ts = new long[ticks.size()];
        String[] labels = new String[ts.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = ticks.get(i);
            labels[i] = f.format(ZonedDateTime.ofInstant(Instant.ofEpochSecond(ts[i]), zone));
        }
        return new TimeAxis(ts, labels);
    }
}
