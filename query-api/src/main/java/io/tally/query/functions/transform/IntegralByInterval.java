package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/**
 * {@code integralByInterval(seriesList, intervalUnit)}: running sum that restarts at 0 every interval counted from
 * the request's {@code from}; a null point shows the running total.
 */
public final class IntegralByInterval extends Fn implements SeriesWise {
    public IntegralByInterval() {
        super(spec("integralByInterval", TRANSFORM, doc("Like integral(), but the total restarts at 0 at every "
                + "interval boundary counted from the start of the request.",
                "integralByInterval(company.sales.perMinute, \"1d\")"))
                .params(SERIES_LIST, Param.required("intervalUnit", ParamType.STRING)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        String unit = args.string(1);
        long interval = Math.abs(args.interval(1));
        if (interval == 0) {
            throw args.error(1, "the interval must not be zero");
        }
        long from = ctx.from();
        return each(args.series(0), s -> {
            double[] v = s.values();
            double[] out = new double[v.length];
            double current = 0;
            long t = s.start();
            for (int i = 0; i < v.length; i++) {
                if (Math.floorDiv(t - from, interval) != Math.floorDiv(t - from - s.step(), interval)) {
                    current = 0;
                }
                if (!Double.isNaN(v[i])) {
                    current += v[i];
                }
                out[i] = current;
                t += s.step();
            }
            return s.transformed("integralByInterval(" + s.name() + ",'" + unit + "')", out, "integralByInterval",
                    unit);
        });
    }
}
