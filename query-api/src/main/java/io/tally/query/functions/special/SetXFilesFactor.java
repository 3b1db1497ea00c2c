package io.tally.query.functions.special;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.functions.Fn;

/**
 * {@code setXFilesFactor(seriesList, xFilesFactor)} (short: {@code xFilesFactor}): the fraction of known values a
 * folded bucket needs, for these series and as the default for the rest of the request.
 */
public final class SetXFilesFactor extends Fn {
    public SetXFilesFactor() {
        super(spec("setXFilesFactor", SPECIAL, doc("Sets the fraction (0 to 1) of values that must be known for a "
                + "point folded from several (consolidation, summarize, moving windows, aggregates) to be non-null; "
                + "also the default for the rest of the request. Short form: xFilesFactor().",
                "xFilesFactor(Sales.widgets.largeBlue, 0.5)",
                "Servers.web01.sda1.free_space|consolidateBy('max')|xFilesFactor(0.5)"))
                .aliases("xFilesFactor")
                .params(SERIES_LIST, Param.required("xFilesFactor", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double xff = args.dbl(1);
        String tag = floatText(args, 1, null);
        ctx.setXFilesFactor(xff);
        return each(args.series(0), s -> s.toBuilder().xFilesFactor(xff).tags(s.tagsWith("xFilesFactor", tag))
                .build());
    }
}
