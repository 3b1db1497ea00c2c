package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code scale(seriesList, factor)}: Multiplies every value by a constant. */
public final class Scale extends Fn implements SeriesWise {
    public Scale() {
        super(spec("scale", TRANSFORM, doc("Multiplies every value by a constant.",
                "scale(Server.instance01.threads.busy,10)"))
                .params(SERIES_LIST, Param.required("factor", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double factor = args.dbl(1);
        String tag = floatText(args, 1, null);
        return each(args.series(0), s -> mapValues(s, "scale(" + s.name() + "," + Py.g(factor) + ")",
                "scale", tag, v -> v * factor));
    }
}
