package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.functions.Fn;

/** {@code group(*seriesLists)}: the lists concatenated, to pass several as one argument. */
public final class Group extends Fn {
    public Group() {
        super(spec("group", COMBINE, doc("Concatenates several series lists into one, to pass them to a function "
                + "that takes a single list.", "group(a.b.c, d.e.*)")).params(SERIES_LISTS.asOptional()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return args.allSeries(0);
    }
}
