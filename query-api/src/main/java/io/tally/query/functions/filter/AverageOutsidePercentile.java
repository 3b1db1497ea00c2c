package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesMath;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code averageOutsidePercentile(seriesList, n)}: keeps the series whose average lies outside the
 * {@code [100-n, n]} percentile interval of all averages.
 */
public final class AverageOutsidePercentile extends Fn {
    public AverageOutsidePercentile() {
        super(spec("averageOutsidePercentile", FILTER_SERIES, doc("Keeps the series whose average lies outside the "
                + "interval between the (100-n)-th and n-th percentile of all the series' averages.",
                "averageOutsidePercentile(server*.instance*.threads.busy, 95)"))
                .params(SERIES_LIST, Param.required("n", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double n = args.dbl(1);
        if (n < 50) {
            n = 100 - n;
        }
        List<Series> list = args.series(0);
        double[] averages = new double[list.size()];
        for (int i = 0; i < averages.length; i++) {
            averages[i] = AggFunc.AVERAGE.apply(list.get(i).values());
        }
        double low = SeriesMath.percentile(averages, 100 - n, false);
        double high = SeriesMath.percentile(averages, n, false);
        List<Series> out = new ArrayList<>();
        for (int i = 0; i < averages.length; i++) {
            double a = averages[i];
            if (Double.isNaN(a) || !(low < a && a < high)) {
                out.add(list.get(i));
            }
        }
        return out;
    }
}
