package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/**
 * {@code nonNegativeDerivative(seriesList, maxValue=None, minValue=None)}: counter deltas (see {@link CounterDelta}).
 */
public final class NonNegativeDerivative extends Fn implements SeriesWise {
    public NonNegativeDerivative() {
        super(spec("nonNegativeDerivative", TRANSFORM, doc("The delta between consecutive values of a counter, "
                + "ignoring decreases: a reset gives null, or with maxValue the counter is taken to wrap at "
                        + "maxValue, with minValue to restart from minValue. A point after a null is "
                                + "null.", "nonNegativeDerivative(company.server.application01.ifconfig.TXPackets)"))
                .params(SERIES_LIST, Param.optional("maxValue", ParamType.FLOAT),
                        Param.optional("minValue", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double max = args.has(1) ? args.dbl(1) : Double.NaN;
        double min = args.has(2) ? args.dbl(2) : Double.NaN;
        return each(args.series(0), s -> s.transformed("nonNegativeDerivative(" + s.name() + ")",
                CounterDelta.deltas(s.values(), max, min, s.step(), false), "nonNegativeDerivative", "1"));
    }
}
