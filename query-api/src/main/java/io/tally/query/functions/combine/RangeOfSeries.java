package io.tally.query.functions.combine;

/** {@code rangeOfSeries(*seriesLists)}: graphite's aggregate() with {@code rangeOf}. */
public final class RangeOfSeries extends AggregatingFunction {
    public RangeOfSeries() {
        super(spec("rangeOfSeries", COMBINE, doc("The difference between the largest and the smallest value of the "
                + "series at each point.", "rangeOfSeries(servers.*.connections)"))
                .params(SERIES_LISTS), "rangeOf");
    }
}
