package io.tally.query.functions.transform;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Interval;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code smartSummarize(seriesList, intervalString, func='sum', alignTo=None)}: buckets of the interval starting
 * at the series start; with {@code alignTo} (a unit: years ... seconds, {@code weeks<N>} for ISO weekday N) the
 * request's start is first truncated to that unit in the request's time zone and the data re-fetched.
 */
public final class SmartSummarize extends Fn {
    private static final List<Object> ALIGN_OPTIONS = Arrays.asList(null, "years", "months", "weeks", "days",
            "hours", "minutes", "seconds", true, false);

    public SmartSummarize() {
        super(spec("smartSummarize", TRANSFORM, doc("Like summarize(), but the buckets start at the start of the "
                + "range, optionally first aligned to the start of a year, month, week (weeks<N> for ISO weekday N), "
                + "day, hour, minute or second.", "smartSummarize(counter.errors, \"1hour\", \"sum\", \"hours\")"))
                .params(SERIES_LIST, Param.required("intervalString", ParamType.INTERVAL)
                                .withSuggestions("10min", "1h", "1d"),
                        Param.optional("func", ParamType.AGG_FUNC, "sum").withOptions(AggFunc.NAMES),
                        Param.optional("alignTo", ParamType.STRING).withOptions(ALIGN_OPTIONS)));
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
        List<Series> list = args.series(0);
        Object alignTo = args.value(3);
        if (alignTo instanceof String unitText) {
            String unit = Interval.unitName(unitText);
            if (unit == null) {
                throw args.error(3, "invalid alignTo '" + unitText + "' (use years, months, weeks, days, hours, "
                        + "minutes or seconds)");
            }
            long start = align(ctx, unit, unitText);
            list = ctx.withRange(start, ctx.until()).evaluateSeries(args.expr(0), args.replacements());
        }
        List<Series> out = new ArrayList<>(list.size());
        for (Series s : list) {
            ctx.reservePoints((s.end() - s.start()) / interval + 1);
            Buckets.Result r = Buckets.summarize(s, f, interval, s.start(), s.end());
            Map<String, String> tags = new TreeMap<>(s.tags());
            tags.put("smartSummarize", text);
            tags.put("smartSummarizeFunction", funcName);
            String name = "smartSummarize(" + s.name() + ", \"" + text + "\", \"" + funcName + "\")";
            out.add(s.toBuilder().name(name).pathExpression(name).tags(tags).end(r.alignedEnd()).step(interval)
                    .values(r.values()).build());
        }
        return out;
    }

    private static long align(EvalContext ctx, String unit, String text) {
        ZonedDateTime s = ZonedDateTime.ofInstant(Instant.ofEpochSecond(ctx.from()), ctx.zone());
        ZonedDateTime aligned = switch (unit) {
            case "years" -> s.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
            case "months" -> s.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            case "weeks" -> {
                char last = text.charAt(text.length() - 1);
                int weekday = Character.isDigit(last) ? last - '0' : 1;
                yield s.truncatedTo(ChronoUnit.DAYS)
                        .with(TemporalAdjusters.previousOrSame(DayOfWeek.of(Math.max(1, Math.min(7, weekday)))));
            }
            case "days" -> s.truncatedTo(ChronoUnit.DAYS);
            case "hours" -> s.truncatedTo(ChronoUnit.HOURS);
            case "minutes" -> s.truncatedTo(ChronoUnit.MINUTES);
            default -> s.truncatedTo(ChronoUnit.SECONDS);
        };
        return aligned.toEpochSecond();
    }
}
