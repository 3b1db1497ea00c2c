package io.tally.query.functions.calculate;

/** {@code movingAverage(seriesList, windowSize, xFilesFactor=None)}: movingWindow with {@code average}. */
public final class MovingAverage extends MovingWindow {
    public MovingAverage() {
        super("movingAverage", "average", "average");
    }
}
