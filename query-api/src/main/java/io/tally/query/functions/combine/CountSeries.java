package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesMath;
import io.tally.query.functions.Fn;
import io.tally.query.functions.special.ConstantLine;

import java.util.List;

/**
 * {@code countSeries(*seriesLists)}: the number of input series at every point (nulls do not matter); with no
 * argument at all a constant 0 line; arguments that match nothing give no series.
 */
public final class CountSeries extends Fn {
    public CountSeries() {
        super(spec("countSeries", COMBINE, doc("Draws a line at the number of series in the lists.",
                "countSeries(carbon.agents.*.*)")).params(SERIES_LISTS.asOptional()).aggregator());
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<List<Series>> lists = args.seriesLists(0);
        if (lists.isEmpty()) {
            Series zero = ConstantLine.line(ctx, 0L);
            return List.of(zero.toBuilder().pathExpression("countSeries()").build());
        }
        SeriesMath.Normalized n = SeriesMath.normalize(SeriesMath.flatten(lists));
        if (n == null) {
            return List.of();
        }
        String name = "countSeries(" + SeriesMath.pathExpressions(n.series()) + ")";
        double[] values = new double[n.length()];
        java.util.Arrays.fill(values, n.series().size());
        return List.of(Series.builder(name, n.start(), n.end(), n.step(), values).xFilesFactor(ctx.xFilesFactor())
                .build());
    }
}
