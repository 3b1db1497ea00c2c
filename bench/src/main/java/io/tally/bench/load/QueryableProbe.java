package io.tally.bench.load;

import java.io.IOException;

/**
 * Asks a server how many of the points just sent it can answer queries for. A probe is cheap on the sample
 * (a few series, asked often) and exact on the whole set (asked once the sample is complete).
 */
interface QueryableProbe {

    /** What is asked and where, for the report. */
    String describe();

    /** Points of the sample series the server answers with; the sample is complete at its {@link #sampleExpected()}. */
    long countSample() throws IOException, InterruptedException;

    long sampleExpected();

    /** Points of all series the server answers with. */
    long countAll() throws IOException, InterruptedException;
}
