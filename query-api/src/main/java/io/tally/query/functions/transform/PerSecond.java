package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code perSecond(seriesList, maxValue=None, minValue=None)}: counter deltas (see {@link CounterDelta}). */
public final class PerSecond extends Fn implements SeriesWise {
    public PerSecond() {
        super(spec("perSecond", TRANSFORM, doc("The per-second rate of a counter: the non-negative delta between "
                + "consecutive values divided by the step, rounded to 6 decimals. A decrease (reset or wrap) gives "
                        + "null unless maxValue (wrap at maxValue) or minValue (restart from minValue) says "
                                + "otherwise; a point after a null is null.",
                                        "perSecond(company.server.application01.ifconfig.TXPackets)"))
                .params(SERIES_LIST, Param.optional("maxValue", ParamType.FLOAT),
                        Param.optional("minValue", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double max = args.has(1) ? args.dbl(1) : Double.NaN;
        double min = args.has(2) ? args.dbl(2) : Double.NaN;
        return each(args.series(0), s -> s.transformed("perSecond(" + s.name() + ")",
                CounterDelta.deltas(s.values(), max, min, s.step(), true), "perSecond", "1"));
    }
}
