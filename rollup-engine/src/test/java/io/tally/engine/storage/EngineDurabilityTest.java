package io.tally.engine.storage;

import io.tally.engine.api.SeriesData;
import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.tally.engine.storage.EngineTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Restart, crash, checkpoint, eviction and torn-WAL recovery keep every accepted point. */
class EngineDurabilityTest {
    private static final long T = 1_795_323_600L;
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(T);

    private Engine open() throws Exception {
        return Engine.open(EngineTestSupport.options(dir, clock).build());
    }

    private static void fill(Engine e, String name, long from, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            write(e, name, from + i * 10L, i);
        }
    }

    private static void assertFilled(Engine e, String name, long from, int n, long now) {
        SeriesData d = e.fetch(name, from - 10, from + (n - 1) * 10L, now);
        assertThat(d).as(name).isNotNull();
        assertThat(d.values()).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(d.values()[i]).as(name + " slot " + i).isEqualTo(i);
        }
    }

    @Test
    void cleanRestartKeepsEverything() throws Exception {
        try (Engine e = open()) {
            fill(e, "a.b", T - 600, 50);
        }
        try (Engine e = open()) {
            assertFilled(e, "a.b", T - 600, 50, T);
            assertThat(e.seriesCount()).isEqualTo(1);
        }
    }

    @Test
    void crashWithoutCheckpointRecoversFromTheWal() throws Exception {
        Engine e = open();
        fill(e, "a.b", T - 600, 50);
        fill(e, "c.d", T - 600, 20);
        e.halt();
        try (Engine r = open()) {
            assertFilled(r, "a.b", T - 600, 50, T);
            assertFilled(r, "c.d", T - 600, 20, T);
        }
    }

    @Test
    void crashAfterACheckpointCombinesSegmentsAndWal() throws Exception {
        Engine e = open();
        fill(e, "a.b", T - 1200, 60);
        e.checkpoint(false);
        for (int i = 60; i < 100; i++) {
            write(e, "a.b", T - 1200 + i * 10L, i);
        }
        e.halt();
        try (Engine r = open()) {
            assertFilled(r, "a.b", T - 1200, 100, T);
        }
    }

    @Test
    void evictedChunksAreReadBackFromSegmentsAndLateWritesMergeWithThem() throws Exception {
        try (Engine e = open()) {
            fill(e, "a.b", T - 3000, 100);
            clock.advanceSeconds(3600);
            e.checkpoint(false); // old chunks are clean and evicted now
            assertThat(e.metricsSnapshot().get("storage.head_chunks")).isLessThan(5.0);
            assertFilled(e, "a.b", T - 3000, 100, T + 3600);
            // a late point into an evicted chunk: the chunk is reloaded, the rest stays
            write(e, "a.b", T - 3000 + 10 * 5, 5);
            assertFilled(e, "a.b", T - 3000, 100, T + 3600);
            e.checkpoint(true);
            assertFilled(e, "a.b", T - 3000, 100, T + 3600);
        }
    }

    @Test
    void rollupsSurviveEvictionOfTheFinerArchive() throws Exception {
        try (Engine e = open()) {
            long minute = T - 7200;
            for (int i = 0; i < 3; i++) {
                write(e, "x.avg", minute + i * 10, 10);
            }
            clock.advanceSeconds(3600);
            e.checkpoint(false);
            // the 4th slot arrives late: the 1m rollup is recomputed from the reloaded 10s chunk
            write(e, "x.avg", minute + 30, 50);
            SeriesData d = e.fetch("x.avg", T - 2 * 86400, T, T + 3600);
            assertThat(EngineSemanticsTest.valueAt(d, minute)).isEqualTo(20.0);
        }
    }

    @Test
    void tornWalTailIsTruncatedAndEarlierRecordsSurvive() throws Exception {
        Engine e = open();
        fill(e, "a.b", T - 600, 30);
        e.halt();
        Path walFile;
        try (Stream<Path> s = Files.walk(dir)) {
            walFile = s.filter(p -> p.toString().endsWith(".wal")).filter(p -> p.toFile().length() > 0)
                    .findFirst().orElseThrow();
        }
        long len = Files.size(walFile);
        try (RandomAccessFile f = new RandomAccessFile(walFile.toFile(), "rw")) {
            f.setLength(len - 7); // tear the last record
        }
        try (Engine r = open()) {
            SeriesData d = r.fetch("a.b", T - 610, T - 600 + 29 * 10, T);
            long known = java.util.Arrays.stream(d.values()).filter(v -> !Double.isNaN(v)).count();
            assertThat(known).isEqualTo(29); // only the torn last point is gone
            assertThat(r.metricsSnapshot().get("storage.wal_repaired_bytes")).isGreaterThan(0.0);
            write(r, "a.b", T - 600 + 29 * 10, 29);
        }
        try (Engine r = open()) {
            assertFilled(r, "a.b", T - 600, 30, T);
        }
    }

    @Test
    void corruptRecordInTheMiddleDropsEverythingAfterIt() throws Exception {
        Engine e = open();
        fill(e, "a.b", T - 600, 30);
        e.halt();
        Path walFile;
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".wal")).filter(p -> p.toFile().length() > 0)
                    .toList();
            walFile = files.get(0);
        }
        try (RandomAccessFile f = new RandomAccessFile(walFile.toFile(), "rw")) {
            long mid = f.length() / 2;
            f.seek(mid);
            int b = f.read();
            f.seek(mid);
            f.write(b ^ 0xFF);
        }
        try (Engine r = open()) {
            SeriesData d = r.fetch("a.b", T - 610, T - 600 + 29 * 10, T);
            assertThat(d).isNotNull();
            double[] v = d.values();
            // a prefix survives intact, nothing after the corruption is invented
            int i = 0;
            while (i < v.length && !Double.isNaN(v[i])) {
                assertThat(v[i]).isEqualTo(i);
                i++;
            }
            for (; i < v.length; i++) {
                assertThat(v[i]).isNaN();
            }
        }
    }

    @Test
    void seriesKeepTheirArchivesAcrossRestartsEvenIfTheSchemaChanges() throws Exception {
        try (Engine e = open()) {
            write(e, "a.b", T - 10, 1);
        }
        var opts = EngineTestSupport.options(dir, clock)
                .schemas(io.tally.engine.config.StorageSchemas.parse("[x]\npattern=.*\nretentions=1m:1d\n", "new"))
                .build();
        try (Engine r = Engine.open(opts)) {
            assertThat(r.fetch("a.b", T - 60, T, T).step()).isEqualTo(10);
            write(r, "c.d", T - 10, 1);
            assertThat(r.fetch("c.d", T - 120, T, T).step()).isEqualTo(60);
        }
    }

    @Test
    void checkpointWithoutNewSeriesKeepsTheSeriesTable() throws Exception {
        try (Engine e = open()) {
            fill(e, "a.b", T - 600, 10);
            e.checkpoint(false);
            List<Path> first = seriesTables();
            assertThat(first).isNotEmpty();
            write(e, "a.b", T - 10, 9);
            e.checkpoint(false);
            assertThat(seriesTables()).isEqualTo(first);
            write(e, "c.d", T - 10, 1);
            e.checkpoint(false);
            assertThat(seriesTables()).hasSameSizeAs(first).isNotEqualTo(first);
        }
        try (Engine e = open()) {
            assertThat(e.fetch("a.b", T - 610, T, T).values()).contains(9.0);
            assertThat(e.fetch("c.d", T - 20, T, T).values()).contains(1.0);
        }
    }

    private List<Path> seriesTables() throws Exception {
        try (var files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("series-")).sorted().toList();
        }
    }
}
