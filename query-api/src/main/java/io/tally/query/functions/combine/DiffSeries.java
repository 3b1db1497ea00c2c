package io.tally.query.functions.combine;

/** {@code diffSeries(*seriesLists)}: graphite's aggregate() with {@code diff}. */
public final class DiffSeries extends AggregatingFunction {
    public DiffSeries() {
        super(spec("diffSeries", COMBINE, doc("Subtracts series 2 through n from series 1 at each point. The first "
                + "non-null value at a point is the minuend, so a null first series makes the second one the "
                        + "minuend; use offset() to subtract a constant.",
                                "diffSeries(service.connections.total,service.connections.failed)"))
                .params(SERIES_LISTS), "diff");
    }
}
