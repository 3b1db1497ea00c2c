package io.tally.query.functions.sorting;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * {@code sortByName(seriesList, natural=False, reverse=False)}: by name; {@code natural} compares digit runs as
 * numbers (each padded to 10 digits, as graphite does).
 */
public final class SortByName extends Fn {
    public SortByName() {
        super(spec("sortByName", SORTING, doc("Sorts the series by name, alphabetically or naturally (server2 before "
                + "server11), ascending or with reverse descending.", "sortByName(server*.instance*.memory.free)"))
                .params(SERIES_LIST, Param.optional("natural", ParamType.BOOLEAN, false),
                        Param.optional("reverse", ParamType.BOOLEAN, false)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        boolean natural = args.bool(1, false);
        boolean reverse = args.bool(2, false);
        Function<Series, String> key = natural ? s -> naturalKey(s.name()) : Series::name;
        Comparator<Series> c = Comparator.comparing(key);
        List<Series> out = new ArrayList<>(args.series(0));
        out.sort(reverse ? c.reversed() : c);
        return out;
    }

    static String naturalKey(String name) {
        StringBuilder b = new StringBuilder(name.length() + 16);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c >= '0' && c <= '9') {
                int j = i;
                while (j < name.length() && name.charAt(j) >= '0' && name.charAt(j) <= '9') {
                    j++;
                }
                String digits = new BigInteger(name.substring(i, j)).toString();
                if (digits.length() < 10) {
                    b.append("0".repeat(10 - digits.length()));
                }
                b.append(digits);
                i = j;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }
}
