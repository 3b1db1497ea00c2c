package io.tally.query.functions.filter;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.PyRegex;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/** {@code exclude(seriesList, pattern)}: filters by Python {@code re.search} on the name. */
public final class Exclude extends Fn {
    public Exclude() {
        super(spec("exclude", FILTER_SERIES, doc("Drops the series whose name matches a regular "
                + "expression.", "exclude(servers*.instance*.threads.busy,\"server02\")"))
                .params(SERIES_LIST, Param.required("pattern", ParamType.STRING)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        PyRegex re;
        try {
            re = PyRegex.compile(args.string(1));
        } catch (IllegalArgumentException e) {
            throw args.error(1, e.getMessage());
        }
        List<Series> out = new ArrayList<>();
        for (Series s : args.series(0)) {
            if (!re.search(s.name())) {
                out.add(s);
            }
        }
        return out;
    }
}
