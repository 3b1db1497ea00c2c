package io.tally.query;

import java.time.Duration;

/**
 * Per-request limits of the query API. Each limit error names the setting that raises it.
 *
 * @param maxSeries      series one render may return ({@code query.max-series})
 * @param maxPoints      raw datapoints one render may fetch ({@code query.max-points})
 * @param maxFindResults nodes one find/glob may match ({@code query.max-find-results})
 * @param timeout        wall time one request may spend in storage ({@code query.timeout})
 * @param workers        threads of the worker pool that runs storage calls ({@code query.workers})
 */
public record QueryLimits(int maxSeries, long maxPoints, int maxFindResults, Duration timeout, int workers) {

    public QueryLimits {
        if (maxSeries < 1 || maxPoints < 1 || maxFindResults < 1 || workers < 1) {
            throw new IllegalArgumentException("query limits must be positive");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("query.timeout must be positive");
        }
    }

    public static QueryLimits defaults() {
        return new QueryLimits(10_000, 20_000_000, 100_000, Duration.ofSeconds(60), 8);
    }
}
