package io.tally.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhisperProbeTest {

    private static final long START = 1_700_000_000L;
    private static final int STEP = 10;
    private static final int SLOTS = 20;

    @TempDir
    Path dir;

    private final Workload workload = new Workload(2, 8, STEP, START, 1, Workload.Shape.REALISTIC, 1);

    /** A one-archive whisper file of {@link #SLOTS} slots of 10 s whose slot 0 holds {@code base}, with the given intervals written. */
    private Path whisper(int series, long base, long... intervals) throws IOException {
        int dataOffset = 16 + 12;
        ByteBuffer file = ByteBuffer.allocate(dataOffset + SLOTS * 12);
        file.putInt(1).putInt(SLOTS * STEP).putFloat(0.5f).putInt(1);
        file.putInt(dataOffset).putInt(STEP).putInt(SLOTS);
        if (base != 0) {
            file.putInt(dataOffset, (int) base).putDouble(dataOffset + 4, 1.0);
        }
        for (long interval : intervals) {
            int slot = (int) Math.floorMod((interval - base) / STEP, SLOTS);
            file.putInt(dataOffset + slot * 12, (int) interval).putDouble(dataOffset + slot * 12 + 4, 2.0);
        }
        WhisperProbe probe = new WhisperProbe(dir, workload, new int[] {series});
        Path path = probe.fileOf(series);
        Files.createDirectories(path.getParent());
        Files.write(path, file.array());
        return path;
    }

    private WhisperProbe probe() {
        return new WhisperProbe(dir, workload, new int[] {0});
    }

    private static long[] intervals(int from, int to) {
        long[] out = new long[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = START + (long) i * STEP;
        }
        return out;
    }

    @Test
    void missingFileCountsZero() throws IOException {
        assertThat(probe().countFile(dir.resolve("nope.wsp"))).isZero();
    }

    @Test
    void fileWithoutPointsCountsZero() throws IOException {
        assertThat(probe().countFile(whisper(0, 0))).isZero();
    }

    @Test
    void countsEveryWrittenPoint() throws IOException {
        assertThat(probe().countFile(whisper(0, START, intervals(0, 8)))).isEqualTo(8);
    }

    @Test
    void countsOnlyWrittenPoints() throws IOException {
        assertThat(probe().countFile(whisper(0, START, intervals(0, 3)))).isEqualTo(3);
    }

    @Test
    void readsAcrossTheEndOfTheRing() throws IOException {
        // Slot 0 holds START + 5 steps: the workload's first five points sit in the last five slots.
        long base = START + 5L * STEP;
        Path file = whisper(0, base, intervals(0, 8));
        assertThat(probe().countFile(file)).isEqualTo(8);
    }

    @Test
    void ignoresSlotsHoldingAnOlderCycle() throws IOException {
        // Points one full ring earlier land in the same slots but carry other intervals.
        long older = START - (long) SLOTS * STEP;
        long[] stale = {older, older + STEP, older + 2 * STEP};
        assertThat(probe().countFile(whisper(0, older, stale))).isZero();
    }

    @Test
    void sampleAndAllSumOverFiles() throws IOException {
        whisper(0, START, intervals(0, 8));
        whisper(1, START, intervals(0, 4));
        assertThat(probe().countSample()).isEqualTo(8);
        assertThat(probe().sampleExpected()).isEqualTo(8);
        assertThat(probe().countAll()).isEqualTo(12);
    }
}
