package io.tally.query;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.LimitExceededException;
import io.tally.engine.api.SeriesData;
import io.tally.engine.api.StorageReader;
import io.tally.engine.config.AggregationMethod;
import io.tally.engine.index.SeriesIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A StorageReader over fixed in-memory series with whisper's fetch windowing ({@code (from, until]} aligned to the
 * step) and a regex-based glob find; the tag queries are answered by a real {@link SeriesIndex} over the same names.
 * Records the threads that called it; a name in {@link #failing} makes find/fetch of it throw, and
 * {@code failing.add("tags")} makes every tag query throw.
 */
final class FakeReader implements StorageReader {
    record Series(long start, long step, double[] values, AggregationMethod aggregation) {
        double at(long ts) {
            long i = (ts - start) / step;
            if (ts < start || (ts - start) % step != 0 || i >= values.length) {
                return Double.NaN;
            }
            return values[(int) i];
        }
    }

    final Map<String, Series> series = new TreeMap<>();
    final Set<String> callerThreads = ConcurrentHashMap.newKeySet();
    final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final SeriesIndex tags = new SeriesIndex();

    FakeReader add(String name, long start, long step, AggregationMethod agg, double... values) {
        if (series.put(name, new Series(start, step, values, agg)) == null) {
            tags.add(series.size() - 1, name);
        }
        return this;
    }

    private void tagCall() {
        callerThreads.add(Thread.currentThread().getName());
        if (failing.contains("tags")) {
            throw new IllegalStateException("injected failure of a tag query");
        }
    }

    @Override
    public List<FindNode> find(String pattern, int limit) {
        callerThreads.add(Thread.currentThread().getName());
        if (failing.contains(pattern)) {
            throw new IllegalStateException("injected failure for " + pattern);
        }
        String[] parts = pattern.split("\\.", -1);
        TreeSet<FindNode> out = new TreeSet<>();
        for (String name : series.keySet()) {
            String[] nodes = name.split("\\.", -1);
            if (nodes.length < parts.length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < parts.length && match; i++) {
                match = glob(parts[i]).matcher(nodes[i]).matches();
            }
            if (match) {
                String path = String.join(".", java.util.Arrays.copyOf(nodes, parts.length));
                out.add(new FindNode(path, nodes.length == parts.length));
            }
        }
        if (out.size() > limit) {
            throw new LimitExceededException("nodes matched by " + pattern, limit, "query.max-find-results");
        }
        return new ArrayList<>(out);
    }

    private static Pattern glob(String node) {
        StringBuilder re = new StringBuilder();
        int brace = 0;
        for (int i = 0; i < node.length(); i++) {
            char c = node.charAt(i);
            switch (c) {
                case '*' -> re.append("[^.]*");
                case '?' -> re.append("[^.]");
                case '[' -> {
                    int end = node.indexOf(']', i);
                    String set = node.substring(i + 1, end);
                    re.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
                    i = end;
                }
                case '{' -> {
                    brace++;
                    re.append("(?:");
                }
                case '}' -> {
                    brace--;
                    re.append(')');
                }
                case ',' -> re.append(brace > 0 ? "|" : ",");
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public List<String> findByTags(List<String> expressions, int limit) {
        tagCall();
        List<String> out = new ArrayList<>();
        tags.matchTags(expressions, limit).forEach((int id) -> out.add(tags.name(id)));
        out.sort(null);
        return out;
    }

    @Override
    public List<String> tagNames(String prefix, List<String> expressions, int limit) {
        tagCall();
        return tags.tagNames(prefix, expressions, limit);
    }

    @Override
    public List<String> tagValues(String tag, String prefix, List<String> expressions, int limit) {
        tagCall();
        return tags.tagValues(tag, prefix, expressions, limit);
    }

    @Override
    public SeriesData fetch(String name, long from, long until, long now) {
        callerThreads.add(Thread.currentThread().getName());
        if (failing.contains(name)) {
            throw new IllegalStateException("injected failure for " + name);
        }
        Series s = series.get(name);
        if (s == null) {
            return null;
        }
        long step = s.step();
        long fromI = from - Math.floorMod(from, step) + step;
        long untilI = until - Math.floorMod(until, step) + step;
        if (fromI == untilI) {
            untilI += step;
        }
        int n = (int) ((untilI - fromI) / step);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = s.at(fromI + i * step);
        }
        return new SeriesData(name, fromI, untilI, step, values, s.aggregation(), 0.5);
    }

    @Override
    public int seriesCount() {
        return series.size();
    }
}
