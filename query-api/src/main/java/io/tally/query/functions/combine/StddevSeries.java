package io.tally.query.functions.combine;

/** {@code stddevSeries(*seriesLists)}: graphite's aggregate() with {@code stddev}. */
public final class StddevSeries extends AggregatingFunction {
    public StddevSeries() {
        super(spec("stddevSeries", COMBINE, doc("The population standard deviation of the series at each "
                + "point.", "stddevSeries(servers.*.threads.busy)"))
                .params(SERIES_LISTS), "stddev");
    }
}
