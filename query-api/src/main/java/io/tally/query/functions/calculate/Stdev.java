package io.tally.query.functions.calculate;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/**
 * {@code stdev(seriesList, points, windowTolerance=0.1)}: the standard deviation of the last {@code points}
 * values (the current one included), null while fewer than {@code windowTolerance} of the window is known.
 */
public final class Stdev extends Fn {
    public Stdev() {
        super(spec("stdev", CALCULATE, doc("The moving standard deviation of each series over the last points "
                + "values; a point is null when the fraction of known values in the window is below "
                + "windowTolerance (default 0.1).", "stdev(server*.instance*.threads.busy,30)",
                "stdev(server*.instance*.cpu.system,30,0.0)"))
                .params(SERIES_LIST, Param.required("points", ParamType.INTEGER),
                        Param.optional("windowTolerance", ParamType.FLOAT, 0.1)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        long points = args.integer(1);
        if (points <= 0) {
            throw args.error(1, "points must be positive");
        }
        double tolerance = args.dbl(2, 0.1);
        return each(args.series(0), s -> {
            double[] v = s.values();
            double[] out = new double[v.length];
            int valid = 0;
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < v.length; i++) {
                if (i >= points) {
                    double dropped = v[(int) (i - points)];
                    if (!Double.isNaN(dropped)) {
                        valid--;
                        sum -= dropped;
                        sumSq -= dropped * dropped;
                    }
                }
                if (!Double.isNaN(v[i])) {
                    valid++;
                    sum += v[i];
                    sumSq += v[i] * v[i];
                }
                if (valid > 0 && (double) valid / points >= tolerance) {
                    double d = valid * sumSq - sum * sum;
                    out[i] = d < 0 ? Double.NaN : Math.sqrt(d) / valid;
                } else {
                    out[i] = Double.NaN;
                }
            }
            return s.transformed("stdev(" + s.name() + "," + points + ")", out, "stdev", Long.toString(points));
        });
    }
}
