package io.tally.query.functions.special;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code fallbackSeries(seriesList, fallback)}: the series, or the fallback when there are none. */
public final class FallbackSeries extends Fn {
    public FallbackSeries() {
        super(spec("fallbackSeries", SPECIAL, doc("Draws the fallback series when the first argument matches no "
                + "series.", "fallbackSeries(server*.requests_per_second, constantLine(0))"))
                .params(SERIES_LIST, Param.required("fallback", ParamType.SERIES_LIST)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return args.series(0).isEmpty() ? args.series(1) : args.series(0);
    }
}
