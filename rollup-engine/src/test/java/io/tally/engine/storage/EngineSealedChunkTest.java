package io.tally.engine.storage;

import io.tally.engine.api.SeriesData;
import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.tally.engine.storage.EngineTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Head chunks that are no longer their archive's newest are kept encoded ("sealed"): reads, rollups, late writes,
 * checkpoints and crash recovery see exactly the values an open chunk would have given.
 */
class EngineSealedChunkTest {
    /** A multiple of 480 s: of the 160 s chunk span of the 10 s archive and of the minute. */
    private static final long T = 1_795_323_840L;
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(T);

    private Engine open() throws Exception {
        return Engine.open(EngineTestSupport.options(dir, clock).build());
    }

    /** 48 points, 10 s apart, ending at T - 10: chunks [T-480, T-320), [T-320, T-160) and [T-160, T). */
    private static void writeThreeChunks(Engine e) throws Exception {
        for (int i = 0; i < 48; i++) {
            write(e, "a.b", T - 480 + i * 10L, i * 0.25);
        }
    }

    private static double[] tenSeconds(Engine e) {
        return e.fetch("a.b", T - 490, T - 10, T).values();
    }

    @Test
    void sealedChunksReadBackTheSameValuesAndWeighLess() throws Exception {
        Engine e = open();
        try {
            writeThreeChunks(e);
            double[] before = tenSeconds(e);
            double[] minutes = e.fetch("a.b", T - 86_400 * 2, T, T).values();
            long headBefore = e.headBytes();
            Series s = e.seriesByName("a.b");
            assertThat(HeadChunks.count(s.heads[0])).isEqualTo(3);

            e.sealHeads();

            assertThat(HeadChunks.isOpen(HeadChunks.at(s.heads[0], 0))).as("oldest chunk").isFalse();
            assertThat(HeadChunks.isOpen(HeadChunks.at(s.heads[0], 1))).isFalse();
            assertThat(HeadChunks.isOpen(HeadChunks.at(s.heads[0], 2))).as("the newest stays open").isTrue();
            assertThat(e.headBytes()).isLessThan(headBefore);
            assertThat(tenSeconds(e)).containsExactly(before);
            assertThat(e.fetch("a.b", T - 86_400 * 2, T, T).values()).as("minutely rollups").containsExactly(minutes);
            assertThat(before[0]).isEqualTo(0.0);
            assertThat(before[47]).isEqualTo(11.75);
        } finally {
            e.close();
        }
    }

    @Test
    void aLateWriteReopensASealedChunkAndRollsUpAgain() throws Exception {
        Engine e = open();
        try {
            writeThreeChunks(e);
            e.sealHeads();
            write(e, "a.b", T - 475, 100); // slot T-480 of the oldest, sealed chunk
            double[] v = tenSeconds(e);
            assertThat(v[0]).isEqualTo(100);
            assertThat(v[1]).isEqualTo(0.25);
            Series s = e.seriesByName("a.b");
            assertThat(HeadChunks.isOpen(HeadChunks.at(s.heads[0], 0))).isTrue();
            // the minute [T-480, T-420) now averages 100, .25, .5, .75, 1, 1.25
            SeriesData m = e.fetch("a.b", T - 86_400 * 2, T, T);
            assertThat(m.step()).isEqualTo(60);
            assertThat(m.values()[(int) ((T - 480 - m.start()) / 60)]).isEqualTo((100 + 0.25 + 0.5 + 0.75 + 1 + 1.25) / 6);
        } finally {
            e.close();
        }
    }

    @Test
    void sealedDirtyChunksAreCheckpointedAndSurviveACrash() throws Exception {
        Engine e = open();
        writeThreeChunks(e);
        e.sealHeads();
        double[] before = tenSeconds(e);
        e.checkpoint(false);
        e.halt(); // whatever the checkpoint did not write is gone with the WAL it dropped
        Engine again = open();
        try {
            assertThat(tenSeconds(again)).containsExactly(before);
        } finally {
            again.close();
        }
    }

    @Test
    void lateWritesRacingTheSealPassAreNeverLost() throws Exception {
        Engine e = open();
        try {
            writeThreeChunks(e);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger sealed = new java.util.concurrent.atomic.AtomicInteger();
            Thread sealer = new Thread(() -> {
                while (!stop.get()) {
                    sealed.addAndGet(e.sealHeads());
                }
            });
            sealer.start();
            double[] expected = tenSeconds(e);
            java.util.Random rnd = new java.util.Random(11);
            try {
                for (int i = 0; i < 6000; i++) {
                    int slot = rnd.nextInt(32); // the two older chunks: sealed, reopened, sealed again
                    write(e, "a.b", T - 480 + slot * 10L, 1000 + i);
                    expected[slot] = 1000 + i;
                }
            } finally {
                stop.set(true);
                sealer.join();
            }
            assertThat(sealed.get()).as("chunks sealed while points kept arriving").isGreaterThan(10);
            assertThat(tenSeconds(e)).containsExactly(expected);
            e.sealHeads();
            assertThat(tenSeconds(e)).containsExactly(expected);
        } finally {
            e.close();
        }
    }
}
