package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hitcount(seriesList, intervalString, alignToInterval=False)}: values taken as per-second rates; each point
 * adds {@code value × overlap seconds} to the buckets it overlaps, buckets ending at the series end (or, with
 * {@code alignToInterval}, starting at the request start truncated to the interval's unit, data re-fetched).
 * An empty bucket is null.
 */
public final class Hitcount extends Fn {
    public Hitcount() {
        super(spec("hitcount", TRANSFORM, doc("Estimates hit counts per interval from values that are hits per "
                + "second: each point contributes value times the seconds it overlaps each bucket, so the result "
                + "does not depend on the storage resolution.", "hitcount(app.requests_per_second, \"1h\")"))
                .params(SERIES_LIST, Param.required("intervalString", ParamType.INTERVAL)
                                .withSuggestions("10min", "1h", "1d"),
                        Param.optional("alignToInterval", ParamType.BOOLEAN, false)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        String text = args.string(1);
        long interval = args.interval(1);
        if (interval <= 0) {
            throw args.error(1, "the interval must be positive");
        }
        boolean align = args.bool(2, false);
        List<Series> list = args.series(0);
        if (align) {
            ZonedDateTime s = ZonedDateTime.ofInstant(Instant.ofEpochSecond(ctx.from()), ctx.zone());
            if (interval >= 86_400) {
                s = s.truncatedTo(ChronoUnit.DAYS);
            } else if (interval >= 3600) {
                s = s.truncatedTo(ChronoUnit.HOURS);
            } else if (interval >= 60) {
                s = s.truncatedTo(ChronoUnit.MINUTES);
            }
            list = new ArrayList<>(ctx.withRange(s.toEpochSecond(), ctx.until()).evaluateSeries(args.expr(0),
                    args.replacements()));
            for (int i = 0; i < list.size(); i++) {
                Series x = list.get(i);
                long count = (x.end() - x.start()) / interval;
                list.set(i, x.toBuilder().end(x.start() + count * interval + interval).build());
            }
        }
        List<Series> out = new ArrayList<>(list.size());
        for (Series s : list) {
            ctx.reservePoints((s.end() - s.start()) / interval + 1);
            out.add(count(s, interval, text, align));
        }
        return out;
    }

    private static Series count(Series s, long interval, String text, boolean align) {
        long step = s.step();
        int bucketCount = (int) Math.max(0, (s.end() - s.start() + interval - 1) / interval);
        double[] sums = new double[bucketCount];
        boolean[] filled = new boolean[bucketCount];
        long newStart = s.end() - bucketCount * interval;
        double[] v = s.values();
        for (int i = 0; i < v.length; i++) {
            double value = v[i];
            if (Double.isNaN(value)) {
                continue;
            }
            long startTime = s.start() + i * step;
            long startBucket = Math.floorDiv(startTime - newStart, interval);
            long startMod = Math.floorMod(startTime - newStart, interval);
            long endTime = startTime + step;
            long endBucket = Math.floorDiv(endTime - newStart, interval);
            long endMod = Math.floorMod(endTime - newStart, interval);
            if (endBucket >= bucketCount) {
                endBucket = bucketCount - 1;
                endMod = interval;
            }
            if (startBucket == endBucket) {
                if (startBucket >= 0) {
                    add(sums, filled, (int) startBucket, value * (endMod - startMod));
                }
            } else {
                if (startBucket >= 0) {
                    add(sums, filled, (int) startBucket, value * (interval - startMod));
                }
                double perBucket = value * interval;
                for (long j = Math.max(0, startBucket + 1); j < endBucket; j++) {
                    add(sums, filled, (int) j, perBucket);
                }
                if (endMod > 0 && endBucket >= 0) {
                    add(sums, filled, (int) endBucket, value * endMod);
                }
            }
        }
        double[] out = new double[bucketCount];
        for (int b = 0; b < bucketCount; b++) {
            out[b] = filled[b] ? sums[b] : Double.NaN;
        }
        String name = "hitcount(" + s.name() + ", \"" + text + "\"" + (align ? ", true" : "") + ")";
        return s.toBuilder().name(name).pathExpression(name).tags(s.tagsWith("hitcount", text)).start(newStart)
                .step(interval).values(out).build();
    }

    private static void add(double[] sums, boolean[] filled, int b, double x) {
        if (b < 0 || b >= sums.length) {
            return;
        }
        sums[b] += x;
        filled[b] = true;
    }
}
