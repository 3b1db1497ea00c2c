package io.tally.query.functions.alias;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.PyRegex;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/**
 * {@code aliasSub(seriesList, search, replace)}: Python {@code re.sub} over each name, all matches, with Python
 * backreferences ({@code \1}, {@code \g<name>}). Grafana 11.6+ wraps every target in
 * {@code aliasSub(x, "(^.*$)", "\1 A")}.
 */
public final class AliasSub extends Fn implements SeriesWise {
    public AliasSub() {
        super(spec("aliasSub", ALIAS, doc("Renames each series by a regular expression search and replace on its "
                + "name; \\1 or \\g<name> in the replacement insert captured groups.",
                "aliasSub(ip.*TCP*,\"^.*TCP(\\d+)\",\"\\1\")"))
                .params(SERIES_LIST, Param.required("search", ParamType.STRING),
                        Param.required("replace", ParamType.STRING)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        PyRegex re;
        try {
            re = PyRegex.compile(args.string(1));
        } catch (IllegalArgumentException e) {
            throw args.error(1, e.getMessage());
        }
        String replace = args.string(2);
        return each(args.series(0), s -> {
            try {
                return s.withName(re.sub(replace, s.name()));
            } catch (IllegalArgumentException e) {
                throw args.error(2, e.getMessage());
            }
        });
    }
}
