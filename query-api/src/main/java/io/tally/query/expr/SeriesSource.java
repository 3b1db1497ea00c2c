package io.tally.query.expr;

import io.tally.engine.api.SeriesData;

import java.util.List;

/**
 * Where evaluation gets raw series: storage behind the render layer's limits. Implementations may block (disk)
 * and enforce per-request budgets by throwing {@link io.tally.engine.api.LimitExceededException}.
 */
public interface SeriesSource {

    /**
     * The leaves matching a glob (or an exact tagged name), sorted by name, fetched with whisper semantics over
     * {@code (from, until]} with the archive chosen from {@code now - from}; series without data in range omitted.
     */
    List<SeriesData> fetch(String pathExpression, long from, long until, long now);

    /**
     * The series matching all {@code seriesByTag} expressions, sorted by name, fetched as {@link #fetch} does.
     *
     * @throws IllegalArgumentException for malformed expressions
     */
    List<SeriesData> fetchByTags(List<String> tagExpressions, long from, long until, long now);

    /**
     * Accounts for {@code points} values a function is about to generate (series built from the time range or
     * re-bucketed data), so one request cannot allocate without bound.
     *
     * @throws io.tally.engine.api.LimitExceededException when the request's point budget is exceeded
     */
    default void reservePoints(long points) {
    }

    /**
     * What the request has spent of its budgets so far, for {@link #rewind} when an evaluation is abandoned and done
     * again another way.
     */
    default Object spent() {
        return null;
    }

    /** Gives back what was spent since {@link #spent} returned {@code mark}. */
    default void rewind(Object mark) {
    }

    /**
     * A source that can also hand out the names of a path and fetch them a batch at a time, so that an aggregate
     * over many series never holds them all ({@link Evaluator} streams through it when the source is one).
     */
    interface Streaming extends SeriesSource {
        /**
         * The names {@link #fetch} would fetch for a path, in its order, so that an aggregate can {@link #read} them
         * a batch at a time; null when this source cannot stream this path (then {@link #fetch} it).
         */
        List<String> names(String pathExpression, long from, long until, long now);

        /** Some of the names {@link #names} returned, fetched as {@link #fetch} fetches them, under its budgets. */
        List<SeriesData> read(List<String> names, long from, long until, long now);
    }
}
