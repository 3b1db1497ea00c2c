package io.tally.query.functions.combine;

/** {@code maxSeries(*seriesLists)}: graphite's aggregate() with {@code max}. */
public final class MaxSeries extends AggregatingFunction {
    public MaxSeries() {
        super(spec("maxSeries", COMBINE, doc("The largest non-null value of the series at each "
                + "point.", "maxSeries(servers.*.latency)"))
                .params(SERIES_LISTS), "max");
    }
}
