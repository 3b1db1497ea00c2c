package io.tally.query.functions.alias;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Expr;
import io.tally.query.expr.ExpressionException;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Parser;
import io.tally.query.expr.Py;
import io.tally.query.expr.PyRegex;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesMath;
import io.tally.query.functions.Fn;

import java.util.List;

/**
 * {@code aliasQuery(seriesList, search, replace, newName)}: each series is renamed with {@code newName % v}, v
 * being the last value of the first series of the query obtained by the regex replacement of its name.
 */
public final class AliasQuery extends Fn {
    public AliasQuery() {
        super(spec("aliasQuery", ALIAS, doc("Renames each series from another query: the name is turned into a "
                + "target by a regex search and replace, and the last value of that target's first series is "
                + "formatted into newName (printf style).",
                "aliasQuery(channel.power.*,\"channel\\.power\\.([0-9]+)\",\"channel.frequency.\\1\", \"Channel %d "
                        + "MHz\")"))
                .params(SERIES_LIST, Param.required("search", ParamType.STRING),
                        Param.required("replace", ParamType.STRING), Param.required("newName", ParamType.STRING)));
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
        String format = args.string(3);
        return each(args.series(0), s -> {
            String query;
            Expr e;
            try {
                query = re.sub(replace, s.name());
                e = Parser.parse(query);
            } catch (IllegalArgumentException | ExpressionException ex) {
                throw args.error(2, ex.getMessage());
            }
            List<Series> found = ctx.evaluateSeries(e, args.replacements());
            if (found.isEmpty()) {
                throw args.error(2, "No series found with query: " + query);
            }
            double last = SeriesMath.last(found.get(0).values());
            if (Double.isNaN(last)) {
                throw args.error(2, "Cannot get last value of series: " + found.get(0).name());
            }
            try {
                return s.withName(Py.format(format, last));
            } catch (IllegalArgumentException ex) {
                throw args.error(3, ex.getMessage());
            }
        });
    }
}
