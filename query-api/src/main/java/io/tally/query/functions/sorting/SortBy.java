package io.tally.query.functions.sorting;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;
import io.tally.query.functions.filter.Highest;

/** {@code sortBy(seriesList, func='average', reverse=False)}: stable sort by an aggregate (null lowest). */
public final class SortBy extends Fn {
    public SortBy() {
        super(spec("sortBy", SORTING, doc("Sorts the series by an aggregation function over the range (ascending, "
                + "or descending with reverse).", "sortBy(server*.instance*.threads.busy,'max')"))
                .params(SERIES_LIST, Param.optional("func", ParamType.AGG_FUNC, "average").withOptions(AggFunc.NAMES),
                        Param.optional("reverse", ParamType.BOOLEAN, false)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return Highest.sort(args.series(0), args.aggFunc(1, "average"), args.bool(2, false));
    }
}
