package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code lowest(seriesList, n=1, func='average')}: the n series with the smallest aggregate (all-null first). */
public final class Lowest extends Fn {
    public Lowest() {
        super(spec("lowest", FILTER_SERIES, doc("Keeps the n series with the lowest value of an aggregation function "
                + "over the range (default average); series without any value come first.",
                "lowest(server*.instance*.threads.busy,5,'min')"))
                .params(SERIES_LIST, Param.optional("n", ParamType.INTEGER, 1L),
                        Param.optional("func", ParamType.AGG_FUNC, "average").withOptions(AggFunc.NAMES)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return Highest.top(args.series(0), args.aggFunc(2, "average"), args.integer(1, 1), false);
    }
}
