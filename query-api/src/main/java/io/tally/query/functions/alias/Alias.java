package io.tally.query.functions.alias;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code alias(seriesList, newName)}: every series gets the literal name; tags and path expression unchanged. */
public final class Alias extends Fn implements SeriesWise {
    public Alias() {
        super(spec("alias", ALIAS, doc("Renames every series to the given text (shown in legends).",
                "alias(Sales.widgets.largeBlue,\"Large Blue Widgets\")"))
                .params(SERIES_LIST, Param.required("newName", ParamType.STRING)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        String name = args.string(1);
        return each(args.series(0), s -> s.withName(name));
    }
}
