package io.tally.query.functions.special;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code seriesByTag(*tagExpressions)}: the series whose tags satisfy every expression ({@code tag=v},
 * {@code tag!=v}, {@code tag=~regex}, {@code tag!=~regex}), sorted by name; their path expression is the call's
 * text, so {@code sumSeries(seriesByTag('name=x'))} is named after it.
 */
public final class SeriesByTag extends Fn {
    public SeriesByTag() {
        super(spec("seriesByTag", SPECIAL, doc("The series whose tags match all the expressions: tag=value, "
                + "tag!=value, tag=~regex, tag!=~regex (regexes anchored at the start). An expression that matches "
                + "an empty value also matches series without the tag; at least one must require a value.",
                "seriesByTag(\"tag1=value1\",\"tag2!=value2\")"))
                .params(Param.required("tagExpressions", ParamType.STRING).asMultiple()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<String> exprs = new ArrayList<>();
        for (Object o : args.multi(0)) {
            if (!(o instanceof String s)) {
                throw args.error(0, "tag expressions must be quoted strings, got " + Py.str(o));
            }
            exprs.add(s);
        }
        if (exprs.isEmpty()) {
            throw args.error(0, "at least one tag expression is required");
        }
        try {
            return ctx.fetchByTags(exprs, args.call().raw());
        } catch (IllegalArgumentException e) {
            throw args.error(0, e.getMessage());
        }
    }
}
