package io.tally.query.functions.graph;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code alpha(seriesList, alpha)}: a drawing option (pictures only); names and values are unchanged. */
public final class Alpha extends Fn {
    public Alpha() {
        super(spec("alpha", GRAPH, doc("Sets the transparency of the series when drawn (0 to 1); no effect on JSON "
                + "output.", "alpha(areaBetween(service.latency.{min,max}),0.3)"))
                .params(SERIES_LIST, Param.required("alpha", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double alpha = args.dbl(1);
        return each(args.series(0), s -> s.withStyle(s.style().withAlpha(alpha)));
    }
}
