package io.tally.query.functions.graph;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code lineWidth(seriesList, width)}: a drawing option; the series are returned unchanged. */
public final class LineWidth extends Fn {
    public LineWidth() {
        super(spec("lineWidth", GRAPH, doc("Sets the line width of the series when drawn; no effect on JSON "
                + "output.", "lineWidth(server01.instance01.memory.free,5)"))
                .params(SERIES_LIST, Param.required("width", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return args.series(0);
    }
}
