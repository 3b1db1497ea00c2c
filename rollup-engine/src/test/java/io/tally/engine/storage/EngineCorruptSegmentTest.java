package io.tally.engine.storage;

import io.tally.engine.api.SeriesData;
import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.tally.engine.storage.EngineTestSupport.backfill;
import static org.assertj.core.api.Assertions.assertThat;

/** A damaged byte in a segment costs the series of its block group that partition, and nothing else. */
class EngineCorruptSegmentTest {
    private static final long T = 1_795_323_600L;
    private static final int SERIES = 40;
    private static final int POINTS = 30;
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(T);

    @Test
    void damagedGroupIsSkippedCountedAndTheRestReads() throws Exception {
        try (Engine e = Engine.open(EngineTestSupport.options(dir, clock).build())) {
            backfill(e, "app", SERIES, POINTS, T - 600);
            e.checkpoint(false);
        }
        Path segment;
        try (Stream<Path> files = Files.walk(dir)) {
            segment = files.filter(p -> p.getFileName().toString().startsWith("seg-10-")).sorted().findFirst()
                    .orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(24 + 2); // inside the file's first block
            int b = f.read();
            f.seek(24 + 2);
            f.write(b ^ 0x10);
        }
        try (Engine e = Engine.open(EngineTestSupport.options(dir, clock).build())) {
            int damaged = 0;
            for (int s = 0; s < SERIES; s++) {
                SeriesData d = e.fetch("app.s" + s, T - 610, T - 600 + (POINTS - 1) * 10L, T);
                assertThat(d).as("series %d", s).isNotNull();
                double[] v = d.values();
                assertThat(v).hasSize(POINTS);
                if (Double.isNaN(v[0])) {
                    damaged++;
                    for (double x : v) {
                        assertThat(x).as("series %d", s).isNaN();
                    }
                } else {
                    for (int p = 0; p < POINTS; p++) {
                        assertThat(v[p]).as("series %d slot %d", s, p).isEqualTo(s + p);
                    }
                }
            }
            // the group of the first block: between 1 and 8 series, read as corrupt and counted
            assertThat(damaged).isBetween(1, SegmentFile.GROUP_BLOCKS);
            assertThat(e.metricsSnapshot().get("storage.corrupt_blocks")).isGreaterThanOrEqualTo(damaged);
            // the minutely archive lives in other segment files and still answers for every series
            for (String name : List.of("app.s0", "app.s" + (SERIES - 1))) {
                SeriesData minutes = e.fetch(name, T - 2 * 86_400, T, T);
                assertThat(minutes.step()).isEqualTo(60);
                long known = Arrays.stream(minutes.values()).filter(x -> !Double.isNaN(x)).count();
                assertThat(known).as(name).isGreaterThan(0);
            }
        }
    }
}
