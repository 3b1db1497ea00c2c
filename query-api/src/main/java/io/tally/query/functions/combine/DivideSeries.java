package io.tally.query.functions.combine;

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
 * {@code divideSeries(dividendSeriesList, divisorSeries)}: each dividend over the one divisor series, the pair
 * normalised to a common step; division by zero or null is null. No divisor: the dividends all-null as
 * {@code divideSeries(x,MISSING)}; more than one divisor is an error.
 */
public final class DivideSeries extends Fn {
    public DivideSeries() {
        super(spec("divideSeries", COMBINE, doc("Divides each dividend series by the divisor, which must be exactly "
                + "one series. To divide by a constant use scale() with the inverse.",
                "divideSeries(Series.dividends,Series.divisors)"))
                .params(Param.required("dividendSeriesList", ParamType.SERIES_LIST),
                        Param.required("divisorSeries", ParamType.SERIES_LIST)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<Series> dividends = args.series(0);
        List<Series> divisors = args.series(1);
        if (divisors.isEmpty()) {
            List<Series> out = new ArrayList<>(dividends.size());
            for (Series s : dividends) {
                String name = "divideSeries(" + s.name() + ",MISSING)";
                out.add(s.toBuilder().name(name).pathExpression(name).values(SeriesMath.nulls(s.size())).build());
            }
            return out;
        }
        if (divisors.size() > 1) {
            throw args.error(1, "divideSeries second argument must reference exactly 1 series (got "
                    + divisors.size() + ")");
        }
        Series divisor = divisors.get(0);
        List<Series> out = new ArrayList<>(dividends.size());
        for (Series s : dividends) {
            out.add(quotient(s, divisor, ctx.xFilesFactor()));
        }
        return out;
    }

    /** {@code divideSeries(a,b)} of two series after normalising them together. */
    static Series quotient(Series a, Series b, double xff) {
        SeriesMath.Normalized pair = SeriesMath.normalize(List.of(a, b));
        Series x = pair.series().get(0);
        Series y = pair.series().get(1);
        int n = pair.length();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double d = SeriesMath.at(y, i);
            double q = SeriesMath.at(x, i);
            v[i] = Double.isNaN(q) || Double.isNaN(d) || d == 0 ? Double.NaN : q / d;
        }
        String name = "divideSeries(" + a.name() + "," + b.name() + ")";
        return Series.builder(name, pair.start(), pair.end(), pair.step(), v).xFilesFactor(xff).build();
    }
}
