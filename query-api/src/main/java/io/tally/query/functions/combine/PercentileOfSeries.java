package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesMath;
import io.tally.query.functions.Fn;

import java.util.List;

/**
 * {@code percentileOfSeries(seriesList, n, interpolate=False)}: the n-th percentile across the series at each
 * point (nearest rank, or interpolated), named {@code percentileOfSeries(<first path expression>,<n>)}.
 */
public final class PercentileOfSeries extends Fn {
    public PercentileOfSeries() {
        super(spec("percentileOfSeries", COMBINE, doc("The n-th percentile of the values of all the series at each "
                + "point. Without interpolate the result is always one of the values.",
                "percentileOfSeries(servers.*.latency, 95)"))
                .params(SERIES_LIST, Param.required("n", ParamType.FLOAT),
                        Param.optional("interpolate", ParamType.BOOLEAN, false)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double n = args.dbl(1);
        if (n <= 0) {
            throw args.error(1, "the requested percent is required to be greater than 0");
        }
        List<Series> list = args.series(0);
        if (list.isEmpty()) {
            return List.of();
        }
        boolean interpolate = args.bool(2, false);
        String name = "percentileOfSeries(" + list.get(0).pathExpression() + "," + Py.g(n) + ")";
        SeriesMath.Normalized norm = SeriesMath.normalize(list);
        int len = norm.length();
        int k = norm.series().size();
        double[] row = new double[k];
        double[] scratch = new double[k];
        double[] v = new double[len];
        for (int i = 0; i < len; i++) {
            for (int j = 0; j < k; j++) {
                row[j] = SeriesMath.at(norm.series().get(j), i);
            }
            v[i] = SeriesMath.percentile(row, 0, k, n, interpolate, scratch);
        }
        return List.of(Series.builder(name, norm.start(), norm.end(), norm.step(), v)
                .xFilesFactor(ctx.xFilesFactor()).build());
    }
}
