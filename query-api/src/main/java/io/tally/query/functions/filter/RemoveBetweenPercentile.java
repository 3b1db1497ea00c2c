package io.tally.query.functions.filter;

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
 * {@code removeBetweenPercentile(seriesList, n)}: keeps the series that at some point lie outside the
 * {@code [100-n, n]} percentile interval of all series at that point (nulls are ignored).
 */
public final class RemoveBetweenPercentile extends Fn {
    public RemoveBetweenPercentile() {
        super(spec("removeBetweenPercentile", FILTER_SERIES, doc("Drops the series that stay, at every point, "
                + "strictly between the (100-n)-th and n-th percentile of all the series at that point.",
                "removeBetweenPercentile(server*.instance*.threads.busy, 95)"))
                .params(SERIES_LIST, Param.required("n", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double n = args.dbl(1);
        if (n < 50) {
            n = 100 - n;
        }
        List<Series> list = args.series(0);
        if (list.isEmpty()) {
            return List.of();
        }
        int len = Integer.MAX_VALUE;
        for (Series s : list) {
            len = Math.min(len, s.size());
        }
        double[] low = new double[len];
        double[] high = new double[len];
        double[] column = new double[list.size()];
        double[] scratch = new double[list.size()];
        for (int i = 0; i < len; i++) {
            for (int j = 0; j < column.length; j++) {
                column[j] = list.get(j).get(i);
            }
            low[i] = SeriesMath.percentile(column, 0, column.length, 100 - n, false, scratch);
            high[i] = SeriesMath.percentile(column, 0, column.length, n, false, scratch);
        }
        List<Series> out = new ArrayList<>();
        for (Series s : list) {
            for (int i = 0; i < len; i++) {
                double v = s.get(i);
                if (!Double.isNaN(v) && !(low[i] < v && v < high[i])) {
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }
}
