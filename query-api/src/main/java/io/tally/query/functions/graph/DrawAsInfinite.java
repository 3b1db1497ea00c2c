package io.tally.query.functions.graph;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.functions.Fn;

/** {@code drawAsInfinite(seriesList)}: a drawing option that renames the series {@code drawAsInfinite(x)}. */
public final class DrawAsInfinite extends Fn {
    public DrawAsInfinite() {
        super(spec("drawAsInfinite", GRAPH, doc("Draws a vertical line to infinity where a value is above 0 (for "
                + "on/off metrics); renames the series drawAsInfinite(x).",
                        "drawAsInfinite(Testing.script.exitCode)")).params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return each(args.series(0), s -> s.toBuilder().name("drawAsInfinite(" + s.name() + ")")
                .tags(s.tagsWith("drawAsInfinite", "1")).style(s.style().withDrawAsInfinite()).build());
    }
}
