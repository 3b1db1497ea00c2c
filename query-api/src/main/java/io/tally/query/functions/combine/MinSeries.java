package io.tally.query.functions.combine;

/** {@code minSeries(*seriesLists)}: graphite's aggregate() with {@code min}. */
public final class MinSeries extends AggregatingFunction {
    public MinSeries() {
        super(spec("minSeries", COMBINE, doc("The smallest non-null value of the series at each "
                + "point.", "minSeries(servers.*.free)"))
                .params(SERIES_LISTS), "min");
    }
}
