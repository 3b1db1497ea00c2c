package io.tally.engine.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Segment files round-trip blocks and refuse damaged indexes and blocks with a clear error. */
class SegmentFileTest {
    @TempDir
    Path dir;

    private Path write(int[] ids, double[][] blocks) throws Exception {
        try (SegmentFile.Writer w = new SegmentFile.Writer(dir, 10, 1_753_000, 7)) {
            for (int i = 0; i < ids.length; i++) {
                w.add(ids[i], blocks[i]);
            }
            try (SegmentFile f = w.finish()) {
                return f.path;
            }
        }
    }

    private static double[] block(Random rnd) {
        double[] b = new double[Layout.PARTITION_SLOTS];
        Arrays.fill(b, Double.NaN);
        for (int i = 0; i < 100; i++) {
            b[rnd.nextInt(b.length)] = Math.round(rnd.nextGaussian() * 1000) / 100.0;
        }
        return b;
    }

    @Test
    void blocksRoundTripAndAbsentSeriesAreReported() throws Exception {
        Random rnd = new Random(7);
        int[] ids = {0, 3, 4, 1000, 70_000};
        double[][] blocks = new double[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            blocks[i] = block(rnd);
        }
        Path p = write(ids, blocks);
        try (SegmentFile f = SegmentFile.open(p)) {
            assertThat(f.step).isEqualTo(10);
            assertThat(f.partition).isEqualTo(1_753_000);
            assertThat(f.seq).isEqualTo(7);
            double[] out = new double[Layout.PARTITION_SLOTS];
            for (int i = 0; i < ids.length; i++) {
                assertThat(f.read(ids[i], out)).isTrue();
                assertThat(out).containsExactly(blocks[i]);
            }
            assertThat(f.read(5, out)).isFalse();
            assertThat(f.contains(70_000)).isTrue();
        }
    }

    @Test
    void aDamagedIndexOrTruncatedFileIsRefused() throws Exception {
        Random rnd = new Random(8);
        Path p = write(new int[] {1, 2}, new double[][] {block(rnd), block(rnd)});
        long len = p.toFile().length();
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(len - 30); // inside the index
            int b = f.read();
            f.seek(len - 30);
            f.write(b ^ 0x40);
        }
        assertThatThrownBy(() -> SegmentFile.open(p)).isInstanceOf(Bytes.CorruptDataException.class);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(len / 2);
        }
        assertThatThrownBy(() -> SegmentFile.open(p)).isInstanceOf(Bytes.CorruptDataException.class);
    }

    @Test
    void aDamagedBlockFailsItsChecksumWithoutAffectingOthers() throws Exception {
        Random rnd = new Random(9);
        double[][] blocks = {block(rnd), block(rnd)};
        Path p = write(new int[] {1, 2}, blocks);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(24 + 5); // inside the first block, after the header
            int b = f.read();
            f.seek(24 + 5);
            f.write(b ^ 0x01);
        }
        try (SegmentFile f = SegmentFile.open(p)) {
            double[] out = new double[Layout.PARTITION_SLOTS];
            assertThatThrownBy(() -> f.read(1, out)).isInstanceOf(Bytes.CorruptDataException.class)
                    .hasMessageContaining("checksum");
            assertThat(f.read(2, out)).isTrue();
            assertThat(out).containsExactly(blocks[1]);
        }
    }
}
