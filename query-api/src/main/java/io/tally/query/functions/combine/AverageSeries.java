package io.tally.query.functions.combine;

/** {@code averageSeries(*seriesLists)}: graphite's aggregate() with {@code average}. */
public final class AverageSeries extends AggregatingFunction {
    public AverageSeries() {
        super(spec("averageSeries", COMBINE, doc("The average of the series at each point, over the non-null values. "
                + "Short form: avg().", "averageSeries(servers.*.cpu)")).aliases("avg")
                .params(SERIES_LISTS), "average");
    }
}
