package io.tally.query.functions.calculate;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code linearRegression(seriesList, startSourceAt=None, endSourceAt=None)}: the least-squares line of the data
 * between the two times (default: the request range, re-fetched), drawn over the range. Named
 * {@code linearRegression(x, <start>, <end>)}; a series whose regression is undefined is dropped.
 */
public final class LinearRegression extends Fn {
    public LinearRegression() {
        super(spec("linearRegression", CALCULATE, doc("Draws the least-squares regression line of each series, fitted "
                + "to its data between startSourceAt and endSourceAt (default: the displayed range).",
                "linearRegression(Server.instance01.threads.busy, '-1d')",
                "linearRegression(Server.instance*.threads.busy, \"00:00 20140101\",\"11:59 20140630\")"))
                .params(SERIES_LIST, Param.optional("startSourceAt", ParamType.DATE),
                        Param.optional("endSourceAt", ParamType.DATE)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        long start = args.has(1) ? time(args, ctx, 1, null) : ctx.from();
        long end = args.has(2) ? time(args, ctx, 2, null) : ctx.until();
        List<Series> sources = ctx.withRange(start, end).evaluateSeries(args.expr(0), args.replacements());
        List<Series> list = args.series(0);
        List<Series> out = new ArrayList<>();
        for (int k = 0; k < Math.min(sources.size(), list.size()); k++) {
            Series source = sources.get(k);
            Series s = list.get(k);
            double[] fit = fit(source);
            if (fit == null) {
                continue;
            }
            double[] v = new double[s.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = fit[1] + (s.start() + (double) i * s.step()) * fit[0];
            }
            String name = "linearRegression(" + s.name() + ", " + start + ", " + end + ")";
            Map<String, String> tags = new TreeMap<>(s.tags());
            tags.put("linearRegressions", start + ", " + end);
            out.add(s.toBuilder().name(name).pathExpression(name).tags(tags).values(v).build());
        }
        return out;
    }

    /** {factor, offset} of value = offset + timestamp * factor, or null when undefined. */
    static double[] fit(Series s) {
        double[] v = s.values();
        double n = 0;
        double sumI = 0;
        double sumV = 0;
        double sumII = 0;
        double sumIV = 0;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isNaN(v[i])) {
                n++;
                sumI += i;
                sumV += v[i];
                sumII += (double) i * i;
                sumIV += i * v[i];
            }
        }
        double denominator = n * sumII - sumI * sumI;
        if (denominator == 0) {
            return null;
        }
        double factor = (n * sumIV - sumI * sumV) / denominator / s.step();
        double offset = (sumII * sumV - sumIV * sumI) / denominator - factor * s.start();
        return new double[]{factor, offset};
    }
}
