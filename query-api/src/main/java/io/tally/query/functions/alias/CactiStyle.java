package io.tally.query.functions.alias;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code cactiStyle(seriesList, system=None, units=None)}: names padded into columns with
 * {@code Current:<last> Max:<max> Min:<min>}, optionally with si/binary unit prefixes and a unit suffix.
 */
public final class CactiStyle extends Fn {
    public CactiStyle() {
        super(spec("cactiStyle", SPECIAL, doc("Appends column-aligned Current, Max and Min values to the names, in "
                + "the style of cacti; system si or binary formats them with unit prefixes, units appends a unit.",
                "cactiStyle(ganglia.*.net.bytes_out,\"si\")", "cactiStyle(ganglia.*.net.bytes_out,\"si\",\"b\")"))
                .params(SERIES_LIST, Param.optional("system", ParamType.STRING).withOptions(List.of("binary", "si")),
                        Param.optional("units", ParamType.STRING)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<Series> list = args.series(0);
        if (list.isEmpty()) {
            return list;
        }
        String system = args.string(1, null);
        String units = args.string(2, null);
        int nameLen = 0;
        int lastLen = 0;
        int maxLen = 0;
        int minLen = 0;
        for (Series s : list) {
            nameLen = Math.max(nameLen, s.name().length());
            lastLen = Math.max(lastLen, fmt(truncOr3(AggFunc.LAST.apply(s.values())), system, units).length());
            maxLen = Math.max(maxLen, fmt(truncOr3(AggFunc.MAX.apply(s.values())), system, units).length());
            minLen = Math.max(minLen, fmt(truncOr3(AggFunc.MIN.apply(s.values())), system, units).length());
        }
        lastLen += 3;
        maxLen += 3;
        minLen += 3;
        List<Series> out = new ArrayList<>(list.size());
        for (Series s : list) {
            String last = text(AggFunc.LAST.apply(s.values()), system, units);
            String max = text(AggFunc.MAX.apply(s.values()), system, units);
            String min = text(AggFunc.MIN.apply(s.values()), system, units);
            out.add(s.withName(pad(s.name(), nameLen) + " Current:" + pad(last, lastLen) + " Max:" + pad(max, maxLen)
                    + " Min:" + pad(min, minLen) + " "));
        }
        return out;
    }

    /** graphite's {@code int(value or 3)}. */
    private static double truncOr3(double v) {
        return Double.isNaN(v) || v == 0 ? 3 : (double) (long) v;
    }

    private static String text(double v, String system, String units) {
        return Double.isNaN(v) ? "nan" : fmt(v, system, units);
    }

    private static String fmt(double v, String system, String units) {
        if (system != null) {
            Units.Scaled u = Units.format(v, system, units);
            return units != null ? Py.fixed(u.value(), 2) + " " + u.prefix() : Py.fixed(u.value(), 2) + u.prefix();
        }
        return units != null ? Py.fixed(v, 2) + " " + units : Py.fixed(v, 2);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
