package io.tally.query.functions.graph;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/** {@code color(seriesList, theColor)}: a drawing option; the series are returned unchanged. */
public final class Color extends Fn {
    public Color() {
        super(spec("color", GRAPH, doc("Sets the color of the series when drawn; no effect on JSON "
                + "output.", "color(collectd.hostname.cpu.0.user, 'green')"))
                .params(SERIES_LIST, Param.required("theColor", ParamType.STRING)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return args.series(0);
    }
}
