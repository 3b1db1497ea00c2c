package io.tally.query.expr;

import io.tally.engine.api.SeriesData;
import io.tally.engine.config.AggregationMethod;
import io.tally.query.functions.FunctionRegistry;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * In-memory series for evaluating targets in tests: whisper-style windows ({@code (from, until]} aligned to the
 * step, nulls where nothing is stored) and a regex-based glob match. Not thread-safe.
 */
public final class Fixture implements SeriesSource.Streaming {
    public static final double N = Double.NaN;

    private record Stored(long start, long step, double[] values, AggregationMethod aggregation) {
    }

    private final Map<String, Stored> series = new TreeMap<>();
    private long from = 100;
    private long until = 160;
    private long now = 1_000_000;
    private double xff;
    /** Windows asked of {@link #fetch}, as "path from until". */
    public final List<String> fetches = new ArrayList<>();
    /** Names per {@link #read} call, in order (streamed aggregates only). */
    public final List<Integer> reads = new ArrayList<>();
    private boolean streaming;

    /** A series with values at {@code start, start + step, ...}. */
    public Fixture add(String name, long start, long step, double... values) {
        series.put(name, new Stored(start, step, values, AggregationMethod.AVERAGE));
        return this;
    }

    public Fixture add(String name, long start, long step, AggregationMethod agg, double... values) {
        series.put(name, new Stored(start, step, values, agg));
        return this;
    }

    /** Whether aggregates may read paths a batch at a time ({@link #names}); off by default. */
    public Fixture streaming(boolean on) {
        this.streaming = on;
        return this;
    }

    /** The request window (from exclusive, until inclusive). */
    public Fixture window(long newFrom, long newUntil) {
        this.from = newFrom;
        this.until = newUntil;
        return this;
    }

    public Fixture now(long newNow) {
        this.now = newNow;
        return this;
    }

    public Fixture xFilesFactor(double v) {
        this.xff = v;
        return this;
    }

    /** Evaluates a target over the window with the standard functions. */
    public List<Series> eval(String target) {
        Evaluator evaluator = new Evaluator(FunctionRegistry.standard(), this);
        EvalContext ctx = EvalContext.root(evaluator, from, until, now, xff, ZoneOffset.UTC,
                (spec, n) -> spec.equals("now") ? n : Long.parseLong(spec), Map.of());
        return evaluator.evaluateTarget(Parser.parse(target), ctx);
    }

    /** The single series of a target. */
    public Series one(String target) {
        List<Series> out = eval(target);
        if (out.size() != 1) {
            throw new AssertionError(target + " gave " + out.size() + " series: " + out);
        }
        return out.get(0);
    }

    @Override
    public List<SeriesData> fetch(String pathExpression, long f, long u, long n) {
        fetches.add(pathExpression + " " + f + " " + u);
        Pattern p = glob(pathExpression);
        List<SeriesData> out = new ArrayList<>();
        for (Map.Entry<String, Stored> e : series.entrySet()) {
            if (p.matcher(e.getKey()).matches()) {
                out.add(window(e.getKey(), e.getValue(), f, u));
            }
        }
        return out;
    }

    @Override
    public List<String> names(String pathExpression, long f, long u, long n) {
        if (!streaming) {
            return null;
        }
        Pattern p = glob(pathExpression);
        List<String> out = new ArrayList<>();
        for (String name : series.keySet()) {
            if (p.matcher(name).matches()) {
                out.add(name);
            }
        }
        return out;
    }

    @Override
    public List<SeriesData> read(List<String> names, long f, long u, long n) {
        reads.add(names.size());
        List<SeriesData> out = new ArrayList<>();
        for (String name : names) {
            out.add(window(name, series.get(name), f, u));
        }
        return out;
    }

    @Override
    public List<SeriesData> fetchByTags(List<String> tagExpressions, long f, long u, long n) {
        List<SeriesData> out = new ArrayList<>();
        for (Map.Entry<String, Stored> e : series.entrySet()) {
            Map<String, String> tags = Tags.parse(e.getKey());
            boolean all = true;
            for (String expr : tagExpressions) {
                int eq = expr.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("bad tag expression " + expr);
                }
                boolean not = expr.charAt(eq - 1) == '!';
                String tag = expr.substring(0, not ? eq - 1 : eq);
                boolean match = expr.substring(eq + 1).equals(tags.getOrDefault(tag, ""));
                all &= not != match;
            }
            if (all) {
                out.add(window(e.getKey(), e.getValue(), f, u));
            }
        }
        return out;
    }

    private static SeriesData window(String name, Stored s, long f, long u) {
        long step = s.step();
        long fromI = f - Math.floorMod(f, step) + step;
        long untilI = u - Math.floorMod(u, step) + step;
        int n = (int) ((untilI - fromI) / step);
        double[] v = new double[Math.max(0, n)];
        for (int i = 0; i < v.length; i++) {
            long ts = fromI + i * step;
            long k = (ts - s.start()) / step;
            v[i] = ts >= s.start() && (ts - s.start()) % step == 0 && k < s.values().length ? s.values()[(int) k]
                    : Double.NaN;
        }
        return new SeriesData(name, fromI, untilI, step, v, s.aggregation(), 0.5);
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        int depth = 0;
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append("[^.]*");
                case '?' -> re.append("[^.]");
                case '{' -> {
                    depth++;
                    re.append("(?:");
                }
                case '}' -> {
                    depth--;
                    re.append(')');
                }
                case ',' -> re.append(depth > 0 ? "|" : ",");
                case '[', ']' -> re.append(c);
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
