package io.tally.query.functions.graph;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.functions.Fn;

/** {@code secondYAxis(seriesList)}: a drawing option that renames the series {@code secondYAxis(x)}. */
public final class SecondYAxis extends Fn {
    public SecondYAxis() {
        super(spec("secondYAxis", GRAPH, doc("Draws the series on the second Y axis; renames them "
                + "secondYAxis(x).", "secondYAxis(server01.requests)")).params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return each(args.series(0), s -> s.toBuilder().name("secondYAxis(" + s.name() + ")")
                .tags(s.tagsWith("secondYAxis", "1")).style(s.style().withSecondYAxis()).build());
    }
}
