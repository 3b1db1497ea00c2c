package io.tally.engine.api;

import io.tally.engine.config.AggregationMethod;

/**
 * A fetched series, whisper-shaped: values for timestamps {@code start + i*step} for {@code i} in
 * {@code [0, values.length)}, covering the half-open window {@code [start, end)}. A missing value is
 * {@code NaN} (ingest drops NaN points, so NaN never stands for a stored value); infinities are stored values.
 *
 * @param name        canonical series name
 * @param start       timestamp of the first value (whisper's {@code fromInterval})
 * @param end         {@code start + values.length * step} (whisper's {@code untilInterval})
 * @param step        seconds per point of the archive that answered
 * @param values      one value per step, NaN for null
 * @param aggregation the series' rollup method (what consolidation should use by default)
 * @param xFilesFactor the series' rollup xFilesFactor
 */
public record SeriesData(String name, long start, long end, long step, double[] values,
                         AggregationMethod aggregation, double xFilesFactor) {
}
