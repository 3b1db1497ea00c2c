package io.tally.query.functions.filter;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code limit(seriesList, n)}: the first n series (Python slicing: a negative n drops from the end). */
public final class Limit extends Fn {
    public Limit() {
        super(spec("limit", FILTER_SERIES, doc("Keeps only the first n series.",
                "limit(server*.instance*.memory.free,5)"))
                .params(SERIES_LIST, Param.required("n", ParamType.INTEGER)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return Highest.slice(args.series(0), args.integer(1));
    }
}
