package io.tally.engine.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tally.engine.codec.BlockCodec;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

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

    /** {@code count} blocks made in order by {@code make} (which gets the block's index). */
    private static double[][] blocks(int count, IntFunction<double[]> make) {
        double[][] blocks = new double[count][];
        for (int i = 0; i < count; i++) {
            blocks[i] = make.apply(i);
        }
        return blocks;
    }

    /** A short block: 20 two-decimal values in a row at a random place, 40-60 bytes stored. */
    private static double[] shortBlock(Random rnd) {
        double[] b = new double[Layout.PARTITION_SLOTS];
        Arrays.fill(b, Double.NaN);
        int from = rnd.nextInt(b.length - 20);
        for (int i = from; i < from + 20; i++) {
            b[i] = Math.round(rnd.nextGaussian() * 1000) / 100.0;
        }
        return b;
    }

    @Test
    void aDamagedBlockFailsTheChecksumOfItsGroupWithoutAffectingOtherGroups() throws Exception {
        Random rnd = new Random(9);
        int[] ids = IntStream.range(0, 20).map(i -> 100 + i).toArray();
        double[][] blocks = blocks(ids.length, i -> shortBlock(rnd));
        Path p = write(ids, blocks);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(24 + 5); // inside the first block, after the header
            int b = f.read();
            f.seek(24 + 5);
            f.write(b ^ 0x01);
        }
        try (SegmentFile f = SegmentFile.open(p)) {
            double[] out = new double[Layout.PARTITION_SLOTS];
            // groups of 8 short blocks: the first group fails as a whole, every time it is asked for
            for (int i = 0; i < SegmentFile.GROUP_BLOCKS; i++) {
                int id = ids[i];
                assertThatThrownBy(() -> f.read(id, out)).isInstanceOf(Bytes.CorruptDataException.class)
                        .hasMessageContaining("checksum").hasMessageContaining("series 100 to 107");
            }
            for (int i = SegmentFile.GROUP_BLOCKS; i < ids.length; i++) {
                assertThat(f.read(ids[i], out)).isTrue();
                assertThat(out).containsExactly(blocks[i]);
            }
            assertThatThrownBy(() -> f.read(ids[3], out)).isInstanceOf(Bytes.CorruptDataException.class);
        }
    }

    @Test
    void groupsCloseAtTheirBlockCountOrBeforeTheirByteLimit() {
        int[] lengths = {10, 10, 10, 10, 10, 10, 10, 10, 10, 1000, 1000, 100, 5000, 7};
        // 8 blocks; then 10 + 1000 fit 2048 but 10 + 1000 + 1000 + 100 do not; a 5000-byte block is alone
        assertThat(SegmentFile.groupStarts(lengths, lengths.length, 8, 2048))
                .containsExactly(0, 8, 11, 12, 13, 14);
        assertThat(SegmentFile.groupStarts(lengths, lengths.length, 1, 2048))
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
        assertThat(SegmentFile.groupStarts(new int[0], 0, 8, 2048)).containsExactly(0);
    }

    @Test
    void threadsSharingAFileEachGetTheirOwnBlocks() throws Exception {
        Random rnd = new Random(14);
        int[] ids = IntStream.range(0, 400).toArray();
        double[][] blocks = blocks(ids.length, i -> shortBlock(rnd));
        try (SegmentFile f = SegmentFile.open(write(ids, blocks))) {
            // one thread in order, three at random: the one-group cache changes hands all the time
            java.util.List<java.util.concurrent.Callable<Integer>> readers = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                readers.add(() -> {
                    Random r = new Random(seed);
                    double[] out = new double[Layout.PARTITION_SLOTS];
                    int checked = 0;
                    for (int k = 0; k < 4_000; k++) {
                        int i = seed == 0 ? k % ids.length : r.nextInt(ids.length);
                        assertThat(f.read(ids[i], out)).isTrue();
                        assertThat(out).as("block %d", i).containsExactly(blocks[i]);
                        checked++;
                    }
                    return checked;
                });
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                for (java.util.concurrent.Future<Integer> done : pool.invokeAll(readers)) {
                    assertThat(done.get()).isEqualTo(4_000);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void blocksReadInAnyOrderComeFromTheRightGroup() throws Exception {
        Random rnd = new Random(13);
        int[] ids = IntStream.range(0, 100).map(i -> 3 * i + 1).toArray();
        double[][] blocks = blocks(ids.length, i -> i % 10 == 0 ? block(rnd) : shortBlock(rnd));
        Path p = write(ids, blocks);
        try (SegmentFile f = SegmentFile.open(p)) {
            double[] out = new double[Layout.PARTITION_SLOTS];
            for (int k = 0; k < 400; k++) {
                int i = rnd.nextInt(ids.length);
                assertThat(f.read(ids[i], out)).isTrue();
                assertThat(out).as("block %d", i).containsExactly(blocks[i]);
                assertThat(f.read(ids[i] + 1, out)).isFalse();
            }
        }
    }

    /**
     * A file of an earlier version, laid out by hand as that version wrote it: an interleaved index (varint id delta,
     * varint length, u32 CRC per block); version 1 with whole blocks, version 2 with their stored form.
     */
    private Path writeLegacy(int version, int[] ids, double[][] blocks) throws Exception {
        Bytes body = new Bytes(1 << 16);
        Bytes index = new Bytes(1 << 10);
        body.bytes(version == 1 ? SegmentFile.MAGIC_V1 : SegmentFile.MAGIC_V2, 0, 8);
        body.u32(10);
        body.u64(1_753_000);
        body.u32(Layout.PARTITION_SLOTS);
        int last = -1;
        for (int i = 0; i < ids.length; i++) {
            byte[] b = BlockCodec.encode(blocks[i], Layout.PARTITION_SLOTS);
            int from = version == 1 ? 0 : BlockCodec.stripHeader(b, b.length, Layout.PARTITION_SLOTS);
            CRC32C crc = new CRC32C();
            crc.update(b, from, b.length - from);
            index.varint(ids[i] - last);
            index.varint(b.length - from);
            index.u32((int) crc.getValue());
            last = ids[i];
            body.bytes(b, from, b.length - from);
        }
        return finishByHand(body, index, ids.length, version);
    }

    private Path finishByHand(Bytes body, Bytes index, int count, int seq) throws Exception {
        long indexOffset = body.len;
        body.bytes(index.buf, 0, index.len);
        CRC32C crc = new CRC32C();
        crc.update(index.buf, 0, index.len);
        body.u32(count);
        body.u64(indexOffset);
        body.u32((int) crc.getValue());
        body.bytes(SegmentFile.END, 0, 8);
        Path p = dir.resolve(SegmentFile.fileName(10, 1_753_000, seq));
        Files.write(p, Arrays.copyOf(body.buf, body.len));
        return p;
    }

    @Test
    void version1And2FilesAreStillRead() throws Exception {
        Random rnd = new Random(9);
        int[] ids = {1, 2, 500};
        double[][] blocks = {block(rnd), block(rnd), block(rnd)};
        for (int version : new int[] {1, 2}) {
            try (SegmentFile f = SegmentFile.open(writeLegacy(version, ids, blocks))) {
                double[] out = new double[Layout.PARTITION_SLOTS];
                for (int i = 0; i < ids.length; i++) {
                    assertThat(f.read(ids[i], out)).as("version %d", version).isTrue();
                    assertThat(out).containsExactly(blocks[i]);
                }
            }
        }
    }

    @Test
    void version2LeftOutEachBlocksVersionAndSlotCount() throws Exception {
        Random rnd = new Random(10);
        int[] ids = {1, 2, 500};
        double[][] blocks = {block(rnd), block(rnd), block(rnd)};
        long v1 = Files.size(writeLegacy(1, ids, blocks));
        long v2 = Files.size(writeLegacy(2, ids, blocks));
        // 1 version byte and a 2-byte varint of 1,024 slots per block
        assertThat(v2).isEqualTo(v1 - 3L * ids.length);
        try (SegmentFile f = SegmentFile.open(write(ids, blocks))) {
            byte[] whole = f.readBlock(500);
            assertThat(whole).isEqualTo(BlockCodec.encode(blocks[2], Layout.PARTITION_SLOTS));
        }
    }

    @Test
    void version3DeflatesTheIdAndLengthColumnsAndChecksGroupsOfBlocks() throws Exception {
        Random rnd = new Random(11);
        // runs of consecutive ids, as a shard's series are
        int[] ids = IntStream.range(0, 2_000).map(i -> i + (i / 500) * 7).toArray();
        double[][] blocks = blocks(ids.length, i -> shortBlock(rnd));
        long v2 = Files.size(writeLegacy(2, ids, blocks));
        Path p = write(ids, blocks);
        byte[] v3 = Files.readAllBytes(p);
        assertThat(new String(v3, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("TLYSEG03");
        // the same blocks; one CRC per 8 of these short blocks (3.5 bytes less per block), and the columns of 2-3
        // bytes of varints per block in less than 1.5 bytes
        assertThat((long) v3.length).isLessThan(v2 - 4L * ids.length).isGreaterThan(v2 - 6L * ids.length);
        try (SegmentFile f = SegmentFile.open(p)) {
            double[] out = new double[Layout.PARTITION_SLOTS];
            for (int i = 0; i < ids.length; i += 37) {
                assertThat(f.read(ids[i], out)).isTrue();
                assertThat(out).containsExactly(blocks[i]);
            }
            assertThat(f.contains(ids[499] + 1)).isFalse();
        }
    }

    @Test
    void version3IndexColumnsThatDoNotAddUpAreRefused() throws Exception {
        // a well-checksummed version 3 index whose columns claim more bytes than they inflate to
        Bytes body = new Bytes(1 << 12);
        body.bytes(SegmentFile.MAGIC, 0, 8);
        body.u32(10);
        body.u64(1_753_000);
        body.u32(Layout.PARTITION_SLOTS);
        byte[] b = BlockCodec.encode(block(new Random(12)), Layout.PARTITION_SLOTS);
        int from = BlockCodec.stripHeader(b, b.length, Layout.PARTITION_SLOTS);
        body.bytes(b, from, b.length - from);
        byte[] columns = {1, (byte) ((b.length - from) & 0x7F | 0x80), (byte) ((b.length - from) >>> 7)};
        java.util.zip.Deflater d = new java.util.zip.Deflater(9, true);
        d.setInput(columns);
        d.finish();
        byte[] z = new byte[64];
        int zn = d.deflate(z);
        d.end();
        CRC32C crc = new CRC32C();
        crc.update(b, from, b.length - from);
        Bytes index = new Bytes(64);
        index.varint(SegmentFile.GROUP_BLOCKS);
        index.varint(SegmentFile.GROUP_BYTES);
        index.varint(columns.length + 1);
        index.varint(zn);
        index.bytes(z, 0, zn);
        index.u32((int) crc.getValue());
        Path p = finishByHand(body, index, 1, 9);
        assertThatThrownBy(() -> SegmentFile.open(p)).isInstanceOf(Bytes.CorruptDataException.class)
                .hasMessageContaining("index column");
    }
}
