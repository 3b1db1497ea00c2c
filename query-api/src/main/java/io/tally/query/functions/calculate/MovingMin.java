package io.tally.query.functions.calculate;

/** {@code movingMin(seriesList, windowSize, xFilesFactor=None)}: movingWindow with {@code min}. */
public final class MovingMin extends MovingWindow {
    public MovingMin() {
        super("movingMin", "min", "minimum");
    }
}
