package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.time.Instant;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code timeShift(seriesList, timeShift, resetEnd=True, alignDST=False)}: re-evaluates the first argument over
 * the window moved by the shift ({@code "1d"} without a sign means {@code -1d}) and relabels the result onto the
 * original start; {@code resetEnd} keeps the original end. Nothing when the unshifted argument matched nothing.
 */
public final class TimeShift extends Fn {
    public TimeShift() {
        super(spec("timeShift", TRANSFORM, doc("Draws the series shifted in time: the data from the given time ago "
                + "(or ahead with +) plotted on the current range. Without a sign the shift is backwards. With "
                + "resetEnd (the default) the shifted series ends where the original does; alignDST compensates "
                + "an hour when exactly one of the two ranges is in daylight saving time.",
                "timeShift(Sales.widgets.largeBlue,\"7d\")", "timeShift(Sales.widgets.largeBlue,\"+1h\")"))
                .params(SERIES_LIST, Param.required("timeShift", ParamType.INTERVAL)
                                .withSuggestions("1h", "6h", "12h", "1d", "2d", "7d", "14d", "30d"),
                        Param.optional("resetEnd", ParamType.BOOLEAN, true),
                        Param.optional("alignDst", ParamType.BOOLEAN, false)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        String shift = args.string(1);
        if (!shift.isEmpty() && Character.isDigit(shift.charAt(0))) {
            shift = "-" + shift;
        }
        long delta;
        try {
            delta = io.tally.query.expr.Interval.seconds(shift);
        } catch (IllegalArgumentException e) {
            throw args.error(1, e.getMessage());
        }
        boolean resetEnd = args.bool(2, true);
        long from = ctx.from() + delta;
        long until = ctx.until() + delta;
        if (args.bool(3, false)) {
            ZoneRules rules = ctx.zone().getRules();
            boolean reqStart = dst(rules, ctx.from());
            boolean reqEnd = dst(rules, ctx.until());
            boolean myStart = dst(rules, from);
            boolean myEnd = dst(rules, until);
            long offset = 0;
            if (reqStart && reqEnd && !myStart && !myEnd) {
                offset = 3600;
            } else if (!reqStart && !reqEnd && myStart && myEnd) {
                offset = -3600;
            }
            from += offset;
            until += offset;
        }
        List<Series> original = args.series(0);
        if (original.isEmpty()) {
            return List.of();
        }
        Series first = original.get(0);
        List<Series> out = new ArrayList<>();
        for (Series s : ctx.withRange(from, until).evaluateSeries(args.expr(0), args.replacements())) {
            long end = resetEnd ? first.end() : s.end() - s.start() + first.start();
            out.add(s.toBuilder().name("timeShift(" + s.name() + ", \"" + shift + "\")")
                    .tags(s.tagsWith("timeShift", shift)).start(first.start()).end(end).build());
        }
        return out;
    }

    private static boolean dst(ZoneRules rules, long epoch) {
        return rules.isDaylightSavings(Instant.ofEpochSecond(epoch));
    }
}
