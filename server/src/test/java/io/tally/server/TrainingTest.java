package io.tally.server;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tally train}, the workload the ahead-of-time cache is made from (bin/tally): a real server on loopback,
 * every protocol, every request answered 200, the burst queryable; a failing request fails the command.
 */
class TrainingTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of(),
                (c, m) -> {
                    throw new AssertionError("train opens its own engine");
                }, (c, sink, m) -> List.of(), server -> {
                    throw new AssertionError("train stops its own server");
                });
    }

    @Test
    void aShortTrainingIngestsOverEveryProtocolAndAnswersEveryRequest() {
        assertThat(run("train", "--series", "400")).as(err.toString()).isEqualTo(0);
        assertThat(out.toString()).containsPattern("tally train: 400 series x 60 points, \\d+ requests in ");
    }

    @Test
    void aSeriesCountBelowOneIsRefused() {
        assertThat(run("train", "--series", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--series must be positive");
    }
}
