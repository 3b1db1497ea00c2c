package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Interval;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code timeStack(seriesList, timeShiftUnit='1d', timeShiftStart=0, timeShiftEnd=7)}: one copy of the first
 * argument per shift {@code i} in {@code [start, end)}, re-evaluated {@code i} units back and relabelled onto the
 * original range, named {@code timeShift(x, -1d, i)}.
 */
public final class TimeStack extends Fn {
    public TimeStack() {
        super(spec("timeStack", TRANSFORM, doc("Draws the series once per time shift, from timeShiftStart to "
                + "timeShiftEnd - 1 units back, all on the current range, e.g. to compare today with each of the "
                + "last 7 days.", "timeStack(Sales.widgets.largeBlue,\"1d\",0,7)"))
                .params(SERIES_LIST, Param.optional("timeShiftUnit", ParamType.INTERVAL, "1d")
                                .withSuggestions("1h", "6h", "12h", "1d", "2d", "7d", "14d", "30d"),
                        Param.optional("timeShiftStart", ParamType.INTEGER, 0L),
                        Param.optional("timeShiftEnd", ParamType.INTEGER, 7L)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        String unit = args.string(1, "1d");
        if (!unit.isEmpty() && Character.isDigit(unit.charAt(0))) {
            unit = "-" + unit;
        }
        long delta;
        try {
            delta = Interval.seconds(unit);
        } catch (IllegalArgumentException e) {
            throw args.error(1, e.getMessage());
        }
        List<Series> original = args.series(0);
        if (original.isEmpty()) {
            return List.of();
        }
        Series first = original.get(0);
        long start = args.integer(2, 0);
        long end = args.integer(3, 7);
        List<Series> out = new ArrayList<>();
        for (long shift = start; shift < end; shift++) {
            EvalContext shifted = ctx.withRange(ctx.from() + delta * shift, ctx.until() + delta * shift);
            for (Series s : shifted.evaluateSeries(args.expr(0), args.replacements())) {
                String name = "timeShift(" + s.name() + ", " + unit + ", " + shift + ")";
                Map<String, String> tags = new TreeMap<>(s.tags());
                tags.put("timeShiftUnit", unit);
                tags.put("timeShift", Long.toString(shift));
                out.add(s.toBuilder().name(name).pathExpression(name).tags(tags).start(first.start())
                        .end(first.end()).build());
            }
        }
        return out;
    }
}
