package io.tally.query.functions.graph;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/**
 * {@code color(seriesList, theColor)}: a drawing option (pictures only); names and values are unchanged. The colour
 * text is checked when a picture is drawn, so a json answer never fails on it (as in graphite-web).
 */
public final class Color extends Fn {
    public Color() {
        super(spec("color", GRAPH, doc("Sets the color of the series when drawn; no effect on JSON "
                + "output.", "color(collectd.hostname.cpu.0.user, 'green')"))
                .params(SERIES_LIST, Param.required("theColor", ParamType.STRING)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        String color = args.string(1);
        return each(args.series(0), s -> s.withStyle(s.style().withColor(color)));
    }
}
