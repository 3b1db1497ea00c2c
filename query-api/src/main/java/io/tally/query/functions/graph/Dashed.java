package io.tally.query.functions.graph;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.functions.Fn;

/** {@code dashed(seriesList, dashLength=5)}: a drawing option that renames the series {@code dashed(x, 5)}. */
public final class Dashed extends Fn {
    public Dashed() {
        super(spec("dashed", GRAPH, doc("Draws the series dashed with segments of dashLength (default 5); renames "
                + "them dashed(x, length).", "dashed(server01.instance01.memory.free,2.5)"))
                .params(SERIES_LIST, Param.optional("dashLength", ParamType.INTEGER, 5L)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double length = args.dbl(1, 5);
        String text = args.has(1) ? Py.str(args.value(1)) : "5";
        return each(args.series(0), s -> s.toBuilder().name("dashed(" + s.name() + ", " + Py.g(length) + ")")
                .tags(s.tagsWith("dashed", text)).style(s.style().withDashLength(length)).build());
    }
}
