package io.tally.query.functions.calculate;

/** {@code movingMedian(seriesList, windowSize, xFilesFactor=None)}: movingWindow with {@code median}. */
public final class MovingMedian extends MovingWindow {
    public MovingMedian() {
        super("movingMedian", "median", "median");
    }
}
