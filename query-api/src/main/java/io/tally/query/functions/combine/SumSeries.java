package io.tally.query.functions.combine;

/** {@code sumSeries(*seriesLists)}: graphite's aggregate() with {@code sum}. */
public final class SumSeries extends AggregatingFunction {
    public SumSeries() {
        super(spec("sumSeries", COMBINE, doc("Adds the series together point by point (nulls are skipped; a point is "
                + "null only where every input is null). Short form: sum().",
                        "sumSeries(servers.*.requests)")).aliases("sum")
                .params(SERIES_LISTS), "sum");
    }
}
