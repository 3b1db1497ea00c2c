package io.tally.query.functions.transform;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code summarize(seriesList, intervalString, func='sum', alignToFrom=False)}: fixed buckets of the interval,
 * aligned to epoch multiples of it (UTC), or to the series start with {@code alignToFrom}; named
 * {@code summarize(x, "1h", "sum")}.
 */
public final class Summarize extends Fn implements SeriesWise {
    public Summarize() {
        super(spec("summarize", TRANSFORM, doc("Folds the values into buckets of the interval with an aggregation "
                + "function (default sum, useful for counters; average for gauges). Buckets are aligned to multiples "
                + "of the interval since the epoch (UTC), or to the start of the range with alignToFrom. A bucket is "
                + "null unless enough of its points are known (xFilesFactor).",
                "summarize(counter.errors, \"1hour\")", "summarize(queue.size, \"1hour\", \"avg\")",
                "summarize(metric, \"13week\", \"avg\", true)"))
                .params(SERIES_LIST, Param.required("intervalString", ParamType.INTERVAL)
                                .withSuggestions("10min", "1h", "1d"),
                        Param.optional("func", ParamType.AGG_FUNC, "sum").withOptions(AggFunc.NAMES),
                        Param.optional("alignToFrom", ParamType.BOOLEAN, false)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        String text = args.string(1);
        long interval = args.interval(1);
        if (interval <= 0) {
            throw args.error(1, "the interval must be positive");
        }
        String funcName = args.string(2, "sum");
        AggFunc f = args.aggFunc(2, "sum");
        boolean alignToFrom = args.bool(3, false);
        return each(args.series(0), s -> {
            long newStart;
            long newEnd;
            if (alignToFrom) {
                newStart = s.start();
                newEnd = s.end();
            } else {
                newStart = s.start() - Math.floorMod(s.start(), interval);
                newEnd = s.end() - Math.floorMod(s.end(), interval) + interval;
            }
            ctx.reservePoints((newEnd - newStart) / interval + 1);
            Buckets.Result r = Buckets.summarize(s, f, interval, newStart, newEnd);
            if (alignToFrom) {
                newEnd = r.alignedEnd();
            }
            Map<String, String> tags = new TreeMap<>(s.tags());
            tags.put("summarize", text);
            tags.put("summarizeFunction", funcName);
            String name = "summarize(" + s.name() + ", \"" + text + "\", \"" + funcName + "\""
                    + (alignToFrom ? ", true" : "") + ")";
            return s.toBuilder().name(name).pathExpression(name).tags(tags).start(newStart).end(newEnd)
                    .step(interval).values(r.values()).build();
        });
    }
}
