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

    /** A version 1 file, laid out by hand as format 1 wrote it: whole blocks, each CRC over the whole block. */
    private Path writeVersion1(int[] ids, double[][] blocks) throws Exception {
        Bytes body = new Bytes(1 << 16);
        Bytes index = new Bytes(1 << 10);
        body.bytes(SegmentFile.MAGIC_V1, 0, 8);
        body.u32(10);
        body.u64(1_753_000);
        body.u32(Layout.PARTITION_SLOTS);
        int last = -1;
        for (int i = 0; i < ids.length; i++) {
            byte[] b = io.tally.engine.codec.BlockCodec.encode(blocks[i], Layout.PARTITION_SLOTS);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(b, 0, b.length);
            index.varint(ids[i] - last);
            index.varint(b.length);
            index.u32((int) crc.getValue());
            last = ids[i];
            body.bytes(b, 0, b.length);
        }
        long indexOffset = body.len;
        body.bytes(index.buf, 0, index.len);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(index.buf, 0, index.len);
        body.u32(ids.length);
        body.u64(indexOffset);
        body.u32((int) crc.getValue());
        body.bytes(SegmentFile.END, 0, 8);
        Path p = dir.resolve(SegmentFile.fileName(10, 1_753_000, 3));
        java.nio.file.Files.write(p, Arrays.copyOf(body.buf, body.len));
        return p;
    }

    @Test
    void version1FilesAreStillRead() throws Exception {
        Random rnd = new Random(9);
        int[] ids = {1, 2, 500};
        double[][] blocks = {block(rnd), block(rnd), block(rnd)};
        try (SegmentFile f = SegmentFile.open(writeVersion1(ids, blocks))) {
            double[] out = new double[Layout.PARTITION_SLOTS];
            for (int i = 0; i < ids.length; i++) {
                assertThat(f.read(ids[i], out)).isTrue();
                assertThat(out).containsExactly(blocks[i]);
            }
        }
    }

    @Test
    void version2LeavesOutEachBlocksVersionAndSlotCount() throws Exception {
        Random rnd = new Random(10);
        int[] ids = {1, 2, 500};
        double[][] blocks = {block(rnd), block(rnd), block(rnd)};
        long v1 = java.nio.file.Files.size(writeVersion1(ids, blocks));
        Path p = write(ids, blocks);
        byte[] head = java.nio.file.Files.readAllBytes(p);
        assertThat(new String(head, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("TLYSEG02");
        // 1 version byte and a 2-byte varint of 1,024 slots per block
        assertThat(java.nio.file.Files.size(p)).isEqualTo(v1 - 3L * ids.length);
        try (SegmentFile f = SegmentFile.open(p)) {
            byte[] whole = f.readBlock(500);
            assertThat(whole).isEqualTo(io.tally.engine.codec.BlockCodec.encode(blocks[2], Layout.PARTITION_SLOTS));
        }
    }
}
