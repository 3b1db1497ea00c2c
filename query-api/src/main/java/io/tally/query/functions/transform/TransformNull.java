package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

import java.util.List;
import java.util.Map;

/**
 * {@code transformNull(seriesList, default=0, referenceSeries=None)}: nulls become {@code default}; with reference
 * series, only where at least one reference series has a value.
 */
public final class TransformNull extends Fn implements SeriesWise {
    public TransformNull() {
        super(spec("transformNull", TRANSFORM, doc("Replaces nulls with a default value (0 if not given). With "
                + "referenceSeries, only at the points where at least one of those series has a value.",
                "transformNull(webapp.pages.*.views,-1)"))
                .params(SERIES_LIST, Param.optional("default", ParamType.FLOAT, 0L),
                        Param.optional("referenceSeries", ParamType.SERIES_LIST)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double dflt = args.dbl(1, 0);
        String tag = floatText(args, 1, 0L);
        List<Series> refs = args.series(2);
        double[] defaults = null;
        if (!refs.isEmpty()) {
            int n = 0;
            for (Series r : refs) {
                n = Math.max(n, r.size());
            }
            defaults = new double[n];
            for (int i = 0; i < n; i++) {
                boolean any = false;
                for (Series r : refs) {
                    if (i < r.size() && !Double.isNaN(r.get(i))) {
                        any = true;
                        break;
                    }
                }
                defaults[i] = any ? dflt : Double.NaN;
            }
        }
        double[] fill = defaults;
        return each(args.series(0), s -> {
            double[] v = s.values();
            int n = fill == null || fill.length == 0 ? v.length : Math.max(v.length, fill.length);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double x = i < v.length ? v[i] : Double.NaN;
                double d = fill == null || fill.length == 0 ? dflt : (i < fill.length ? fill[i] : Double.NaN);
                out[i] = Double.isNaN(x) ? d : x;
            }
            String name = "transformNull(" + s.name() + "," + Py.g(dflt) + (refs.isEmpty() ? "" : ",referenceSeries")
                    + ")";
            Map<String, String> tags = s.tagsWith("transformNull", tag);
            if (!refs.isEmpty()) {
                tags = new java.util.TreeMap<>(tags);
                tags.put("referenceSeries", "1");
            }
            return s.toBuilder().name(name).pathExpression(name).values(out).tags(tags).build();
        });
    }
}
