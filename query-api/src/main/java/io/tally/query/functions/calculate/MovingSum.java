package io.tally.query.functions.calculate;

/** {@code movingSum(seriesList, windowSize, xFilesFactor=None)}: movingWindow with {@code sum}. */
public final class MovingSum extends MovingWindow {
    public MovingSum() {
        super("movingSum", "sum", "sum");
    }
}
