package io.tally.engine.api;

import java.util.List;

/**
 * What the query layer (render, find, tags, alert evaluation, federation) may ask of storage. Plain Java, no
 * framework types. All methods are thread-safe and may block briefly on disk reads: call them off event loops.
 */
public interface StorageReader {

    /**
     * Graphite find: nodes matching a per-level glob ({@code * ? [a-z] [!a] {a,b}}); exact lookup when the pattern
     * has no metacharacters; a pattern containing {@code ;} is an exact tagged-series lookup. Sorted by path,
     * branch before leaf for the same path.
     *
     * @throws LimitExceededException when more than {@code limit} nodes match
     */
    List<FindNode> find(String pattern, int limit);

    /** Canonical names of the series matching all {@code seriesByTag} expressions, sorted. */
    List<String> findByTags(List<String> expressions, int limit);

    /** Tag names (optionally restricted to series matching {@code expressions}), sorted, at most {@code limit}. */
    List<String> tagNames(String prefix, List<String> expressions, int limit);

    /** Values of {@code tag}, as above. */
    List<String> tagValues(String tag, String prefix, List<String> expressions, int limit);

    /**
     * whisper {@code fetch(from, until, now)}: window {@code (from, until]}, archive chosen from {@code now - from}
     * only, clamped to retention. Returns null when the series does not exist; a series with no data in the window
     * returns all-NaN values (graphite draws it as nulls), or null when the window lies wholly outside retention.
     */
    SeriesData fetch(String name, long from, long until, long now);

    /**
     * {@link #fetch} for each of {@code names}: the series that exist, in the order of {@code names}. Before a series
     * is kept, {@code listener} sees it (at most one call at a time, from any thread); an exception it throws (a
     * budget exceeded) stops the fetch and is rethrown. Implementations may read several series in parallel.
     */
    default List<SeriesData> fetchAll(List<String> names, long from, long until, long now,
                                      FetchListener listener) {
        List<SeriesData> out = new java.util.ArrayList<>(names.size());
        for (String name : names) {
            SeriesData d = fetch(name, from, until, now);
            if (d != null) {
                listener.fetched(d);
                out.add(d);
            }
        }
        return out;
    }

    /** Sees each series {@link #fetchAll} is about to return; throws to stop the fetch. */
    @FunctionalInterface
    interface FetchListener {
        void fetched(SeriesData data);
    }

    /** Number of series known to the index. */
    int seriesCount();
}
