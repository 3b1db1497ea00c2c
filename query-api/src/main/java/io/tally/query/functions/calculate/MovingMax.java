package io.tally.query.functions.calculate;

/** {@code movingMax(seriesList, windowSize, xFilesFactor=None)}: movingWindow with {@code max}. */
public final class MovingMax extends MovingWindow {
    public MovingMax() {
        super("movingMax", "max", "maximum");
    }
}
