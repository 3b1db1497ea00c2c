package io.tally.engine.storage;

import io.tally.engine.api.SeriesData;
import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.tally.engine.storage.EngineTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Appends write into the archive's open chunk, whose dirty flag lives in the chunk itself: a checkpoint in between
 * must still make the later points durable, and an evicted chunk must never be written through a stale reference.
 */
class EngineOpenChunkTest {
    private static final long T = 1_795_323_600L; // a multiple of the 160 s chunk span of the 10 s archive
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(T);

    private Engine open() throws Exception {
        return Engine.open(EngineTestSupport.options(dir, clock).build());
    }

    private static double at(Engine e, String name, long ts, long now) {
        SeriesData d = e.fetch(name, ts - 10, ts, now);
        assertThat(d).as(name).isNotNull();
        return d.values()[0];
    }

    @Test
    void aWriteIntoTheOpenChunkAfterACheckpointIsInTheNextOne() throws Exception {
        Engine e = open();
        write(e, "a.b", T - 160, 1);
        e.checkpoint(false); // the chunk [T-160, T) is clean now, still in the head
        write(e, "a.b", T - 150, 2); // same chunk: must be flagged dirty again
        e.checkpoint(false); // the WAL holding that point is dropped here
        e.halt(); // crash: only segments are left
        try (Engine r = open()) {
            assertThat(at(r, "a.b", T - 160, T)).isEqualTo(1.0);
            assertThat(at(r, "a.b", T - 150, T)).isEqualTo(2.0);
        }
    }

    @Test
    void aWriteIntoAnEvictedOpenChunkReachesTheReloadedChunk() throws Exception {
        try (Engine e = open()) {
            write(e, "a.b", T - 160, 1);
            clock.advanceSeconds(3600);
            e.checkpoint(false); // the chunk is clean and old: evicted
            write(e, "a.b", T - 150, 2); // a late point into it: reloaded, not the evicted array
            assertThat(at(e, "a.b", T - 160, T + 3600)).isEqualTo(1.0);
            assertThat(at(e, "a.b", T - 150, T + 3600)).isEqualTo(2.0);
            e.checkpoint(true);
        }
        try (Engine r = open()) {
            assertThat(at(r, "a.b", T - 150, T + 3600)).isEqualTo(2.0);
        }
    }
}
