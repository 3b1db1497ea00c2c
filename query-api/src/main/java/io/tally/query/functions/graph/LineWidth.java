package io.tally.query.functions.graph;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code lineWidth(seriesList, width)}: a drawing option (pictures only); names and values are unchanged. */
public final class LineWidth extends Fn {
    public LineWidth() {
        super(spec("lineWidth", GRAPH, doc("Sets the line width of the series when drawn; no effect on JSON "
                + "output.", "lineWidth(server01.instance01.memory.free,5)"))
                .params(SERIES_LIST, Param.required("width", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double width = args.dbl(1);
        return each(args.series(0), s -> s.withStyle(s.style().withLineWidth(width)));
    }
}
