package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.SeriesMath;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code pow(seriesList, factor)}: Raises every value to a constant power; null where the result is undefined. */
public final class Pow extends Fn implements SeriesWise {
    public Pow() {
        super(spec("pow", TRANSFORM, doc("Raises every value to a constant power; null where the result is "
                + "undefined.", "pow(Server.instance01.threads.busy,10)"))
                .params(SERIES_LIST, Param.required("factor", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double factor = args.dbl(1);
        String tag = floatText(args, 1, null);
        return each(args.series(0), s -> mapValues(s, "pow(" + s.name() + "," + Py.g(factor) + ")",
                "pow", tag, v -> SeriesMath.safePow(v, factor)));
    }
}
