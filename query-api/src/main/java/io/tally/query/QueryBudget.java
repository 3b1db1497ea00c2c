package io.tally.query;

import io.tally.engine.api.LimitExceededException;
import io.tally.engine.api.SeriesData;
import io.tally.engine.api.StorageReader;
import io.tally.engine.util.Clock;

import java.util.List;

/**
 * What one request may still spend: {@code query.timeout} of wall time (checked between storage calls),
 * {@code query.max-series} series and {@code query.max-points} points, fetched or generated. Every limit answers with
 * a {@link LimitExceededException} naming the setting. One per request, used by one thread at a time (a
 * parallel {@link StorageReader#fetchAll} calls its listener serially).
 */
public final class QueryBudget {
    private final QueryLimits limits;
    private final Clock clock;
    private final long endMillis;
    private long series;
    private long points;

    public QueryBudget(QueryLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.endMillis = clock.currentTimeMillis() + limits.timeout().toMillis();
    }

    /** @throws LimitExceededException once the request's time is up */
    public void checkTime() {
        if (clock.currentTimeMillis() > endMillis) {
            throw new LimitExceededException("query time in milliseconds", limits.timeout().toMillis(),
                    "query.timeout");
        }
    }

    /** Counts {@code n} more series against {@code query.max-series}. */
    public void countSeries(long n) {
        series += n;
        if (series > limits.maxSeries()) {
            throw new LimitExceededException("series matched by the targets", limits.maxSeries(),
                    "query.max-series");
        }
    }

    /** Counts {@code n} more points against {@code query.max-points}; {@code what} names them in the message. */
    public void countPoints(long n, String what) {
        points += n;
        if (points > limits.maxPoints()) {
            throw new LimitExceededException(what, limits.maxPoints(), "query.max-points");
        }
    }

    /** Series and points counted so far (see {@link #rewind}). */
    public Spent spent() {
        return new Spent(series, points);
    }

    /** Gives back what was counted since {@code mark}: an evaluation abandoned to be done again another way. */
    public void rewind(Spent mark) {
        series = mark.series();
        points = mark.points();
    }

    /** A mark of {@link #spent}. */
    public record Spent(long series, long points) {
    }

    /** Series still allowed (at least 1, so a caller can always ask). */
    public int remainingSeries() {
        return (int) Math.max(1, limits.maxSeries() - series);
    }

    /** Counts data fetched elsewhere (a peer) against the series and point budgets. */
    public List<SeriesData> account(List<SeriesData> data) {
        countSeries(data.size());
        long n = 0;
        for (SeriesData d : data) {
            n += d.values().length;
        }
        countPoints(n, "datapoints fetched");
        return data;
    }

    /**
     * Fetches {@code names} in order from {@code reader} within the budgets; series without data in range are left
     * out.
     */
    public List<SeriesData> read(StorageReader reader, List<String> names, long from, long until, long now) {
        countSeries(names.size());
        return reader.fetchAll(names, from, until, now, d -> {
            checkTime();
            countPoints(d.values().length, "datapoints fetched");
        });
    }
}
