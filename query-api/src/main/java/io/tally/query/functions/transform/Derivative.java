package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code derivative(seriesList)}: {@code v - previous}, null when either is null (negative deltas kept). */
public final class Derivative extends Fn implements SeriesWise {
    public Derivative() {
        super(spec("derivative", TRANSFORM, doc("The difference between each value and the one before it (null "
                + "when either is null). Does not divide by time: see perSecond() for a rate.",
                "derivative(company.server.application01.ifconfig.TXPackets)")).params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return each(args.series(0), s -> {
            double[] v = s.values();
            double[] out = new double[v.length];
            double prev = Double.NaN;
            for (int i = 0; i < v.length; i++) {
                out[i] = Double.isNaN(prev) || Double.isNaN(v[i]) ? Double.NaN : v[i] - prev;
                prev = v[i];
            }
            return s.transformed("derivative(" + s.name() + ")", out, "derivative", "1");
        });
    }
}
