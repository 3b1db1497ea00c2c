package io.tally.query.functions.calculate;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesMath;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code nPercentile(seriesList, n)}: per series a constant line at its n-th percentile (nearest rank over the
 * known values); all-null series are dropped. Named {@code nPercentile(x, 95)}.
 */
public final class NPercentile extends Fn {
    public NPercentile() {
        super(spec("nPercentile", CALCULATE, doc("Draws each series' n-th percentile (of its known values over the "
                + "range) as a constant line.", "nPercentile(Server.instance01.response_time, 95)"))
                .params(SERIES_LIST, Param.required("n", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double n = args.dbl(1);
        if (n == 0) {
            throw args.error(1, "the requested percent is required to be greater than 0");
        }
        String tag = floatText(args, 1, null);
        List<Series> out = new ArrayList<>();
        for (Series s : args.series(0)) {
            Series p = percentileLine(s, n, tag);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /** The constant percentile line of one series, or null when it has no known value. */
    public static Series percentileLine(Series s, double n, String tag) {
        double p = SeriesMath.percentile(s.values(), n, false);
        if (Double.isNaN(p)) {
            return null;
        }
        int count = (int) Math.max(0, (s.end() - s.start()) / s.step());
        double[] v = new double[count];
        Arrays.fill(v, p);
        return s.transformed("nPercentile(" + s.name() + ", " + Py.g(n) + ")", v, "nPercentile", tag);
    }
}
