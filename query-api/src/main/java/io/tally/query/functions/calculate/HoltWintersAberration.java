package io.tally.query.functions.calculate;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesMath;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code holtWintersAberration(seriesList, delta=3, bootstrapInterval='7d', seasonality='1d')}: how far each
 * value lies outside its confidence band (positive above, negative below, 0 inside or null).
 */
public final class HoltWintersAberration extends Fn {
    public HoltWintersAberration() {
        super(spec("holtWintersAberration", CALCULATE, doc("The distance by which each value lies above the upper or "
                + "below the lower Holt-Winters confidence band; 0 inside the bands.",
                "holtWintersAberration(Server.instance01.threads.busy)"))
                .params(SERIES_LIST, Param.optional("delta", ParamType.INTEGER, 3L), HoltWinters.bootstrapParam(),
                        HoltWinters.seasonalityParam()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        Map<String, Series> bands = new HashMap<>();
        for (Series b : HoltWintersConfidenceBands.bands(args, ctx)) {
            bands.put(b.name(), b);
        }
        List<Series> out = new ArrayList<>();
        for (Series s : args.series(0)) {
            Series lower = bands.get("holtWintersConfidenceLower(" + s.name() + ")");
            Series upper = bands.get("holtWintersConfidenceUpper(" + s.name() + ")");
            double[] v = s.values();
            double[] a = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                double up = upper == null ? Double.NaN : SeriesMath.at(upper, i);
                double lo = lower == null ? Double.NaN : SeriesMath.at(lower, i);
                if (Double.isNaN(v[i])) {
                    a[i] = 0;
                } else if (!Double.isNaN(up) && v[i] > up) {
                    a[i] = v[i] - up;
                } else if (!Double.isNaN(lo) && v[i] < lo) {
                    a[i] = v[i] - lo;
                } else {
                    a[i] = 0;
                }
            }
            String name = "holtWintersAberration(" + s.name() + ")";
            out.add(s.toBuilder().name(name).pathExpression(name).values(a)
                    .tags(s.tagsWith("holtWintersAberration", "1")).build());
        }
        return out;
    }
}
