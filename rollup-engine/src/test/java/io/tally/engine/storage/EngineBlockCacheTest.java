package io.tally.engine.storage;

import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.tally.engine.storage.EngineTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

/** The block cache lets go of the blocks of segment files that a compaction merged away. */
class EngineBlockCacheTest {
    private static final long T = 1_795_323_600L;
    @TempDir
    Path dir;

    @Test
    void blocksOfMergedSegmentFilesLeaveTheCache() throws Exception {
        ManualClock clock = new ManualClock(T);
        Engine e = Engine.open(EngineTestSupport.options(dir, clock).build());
        try {
            for (int i = 0; i < 3; i++) { // three checkpoints: three segment files of one 10 s partition
                write(e, "a.b", T - 300 + i * 10, i);
                write(e, "a.c", T - 300 + i * 10, i);
                e.checkpoint(false);
            }
            assertThat(e.fetch("a.b", T - 310, T, T).values()).contains(0.0, 1.0, 2.0);
            assertThat(e.fetch("a.c", T - 310, T, T).values()).contains(0.0, 1.0, 2.0);
            assertThat(e.blockCache().size()).as("blocks read from the three files").isGreaterThanOrEqualTo(6);

            e.checkpoint(true); // merges every partition's files into one

            assertThat(e.blockCache().size()).as("blocks of merged-away files").isZero();
            assertThat(e.fetch("a.b", T - 310, T, T).values()).as("read again from the merged file")
                    .contains(0.0, 1.0, 2.0);
            assertThat(e.blockCache().size()).isPositive();
        } finally {
            e.close();
        }
    }
}
