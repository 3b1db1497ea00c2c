package io.tally.engine.storage;

import io.tally.engine.codec.BlockCodec;
import io.tally.engine.codec.BlockEncoder;
import io.tally.engine.codec.GrowableBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * An immutable segment: the blocks of one time partition of one archive step for some of a shard's series,
 * written by one checkpoint (a delta: only chunks written since the previous checkpoint) or by a compaction
 * (all segments of the partition merged). Within a partition, later segments overlay earlier ones slot by slot.
 *
 * <pre>
 * header : "TLYSEG02", u32 step, u64 partition, u32 slotsPerBlock
 * blocks : BlockCodec encodings of slotsPerBlock slots in their stored form (without the version byte and the slot
 *          count, {@link BlockCodec#stripHeader}), back to back
 * index  : per block, in increasing seriesId order: varint (seriesId - previous seriesId, the first from -1),
 *          varint length, u32 crc32c(stored block); blocks lie back to back from the header in index order
 * footer : u32 blockCount, u64 indexOffset, u32 crc32c(index), "TLYEND01"
 * </pre>
 * Files of version 1 ("TLYSEG01", whole blocks) are still read; every file written is version 2.
 *
 * Written to a temp name, fsynced and renamed (see {@link Fsync}); readers use positional reads and verify each
 * block's CRC. Threading: immutable after open; {@link #read} is safe from any thread.
 */
final class SegmentFile implements AutoCloseable {
    static final byte[] MAGIC = "TLYSEG02".getBytes(StandardCharsets.US_ASCII);
    /** Version 1: whole blocks, header included. */
    static final byte[] MAGIC_V1 = "TLYSEG01".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "TLYEND01".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 8 + 4 + 8 + 4;
    private static final int FOOTER = 4 + 8 + 4 + 8;
    private static final int MAX_INDEX_ENTRY = 5 + 5 + 4;

    final Path path;
    final int step;
    final long partition;
    final long seq;
    private final FileChannel channel;
    private final int[] ids;
    private final long[] offsets;
    private final int[] lengths;
    private final int[] crcs;
    private final long size;
    /** Slots per block; 0 in a version 1 file, whose blocks are stored whole. */
    private final int impliedSlots;

    private SegmentFile(Path path, int step, long partition, long seq, FileChannel channel, int[] ids,
                        long[] offsets, int[] lengths, int[] crcs, long size, int impliedSlots) {
        this.impliedSlots = impliedSlots;
        this.path = path;
        this.step = step;
        this.partition = partition;
        this.seq = seq;
        this.channel = channel;
        this.ids = ids;
        this.offsets = offsets;
        this.lengths = lengths;
        this.crcs = crcs;
        this.size = size;
    }

    static String fileName(int step, long partition, long seq) {
        return "seg-" + step + "-" + partition + "-" + String.format("%016x", seq) + ".tsg";
    }

    /** Parses {@code seg-<step>-<partition>-<seq>.tsg}; null if the name is not a segment's. */
    static long[] parseName(String name) {
        if (!name.startsWith("seg-") || !name.endsWith(".tsg")) {
            return null;
        }
        String[] parts = name.substring(4, name.length() - 4).split("-");
        if (parts.length != 3) {
            return null;
        }
        try {
            return new long[] {Integer.parseInt(parts[0]), Long.parseLong(parts[1]),
                    Long.parseUnsignedLong(parts[2], 16)};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    long sizeBytes() {
        return size;
    }

    int blockCount() {
        return ids.length;
    }

    int seriesIdAt(int i) {
        return ids[i];
    }

    boolean contains(int seriesId) {
        return Arrays.binarySearch(ids, seriesId) >= 0;
    }

    /**
     * Decodes the block of {@code seriesId} into {@code out[0, slotsPerBlock)}; returns false if this segment has no
     * block for it. A block that fails its CRC or does not decode throws {@link Bytes.CorruptDataException}.
     */
    boolean read(int seriesId, double[] out) throws IOException {
        byte[] data = readBlock(seriesId);
        if (data == null) {
            return false;
        }
        decodeBlock(seriesId, data, out);
        return true;
    }

    /**
     * The encoded block of {@code seriesId}, its CRC verified, or null when this segment has none. Such a block
     * never changes (segments are immutable), so readers may keep it ({@link BlockCache}).
     */
    byte[] readBlock(int seriesId) throws IOException {
        int i = Arrays.binarySearch(ids, seriesId);
        if (i < 0) {
            return null;
        }
        // a stored form goes after room for the header bytes it leaves out, which are put back in place
        int implied = impliedSlots == 0 ? 0 : BlockCodec.impliedHeaderBytes(impliedSlots);
        byte[] data = new byte[implied + lengths[i]];
        ByteBuffer bb = ByteBuffer.wrap(data, implied, lengths[i]);
        long pos = offsets[i] - implied;
        while (bb.hasRemaining()) {
            int n = channel.read(bb, pos + bb.position());
            if (n < 0) {
                throw new Bytes.CorruptDataException(path.getFileName() + ": block of series " + seriesId
                        + " runs past the end of the file");
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(data, implied, lengths[i]);
        if ((int) crc.getValue() != crcs[i]) {
            throw new Bytes.CorruptDataException(path.getFileName() + ": checksum mismatch in block of series "
                    + seriesId);
        }
        if (implied > 0) {
            if (lengths[i] == 0) {
                throw new Bytes.CorruptDataException(path.getFileName() + ": empty block of series " + seriesId);
            }
            BlockCodec.restoreHeader(data, impliedSlots);
        }
        return data;
    }

    /** Decodes a block from {@link #readBlock} into {@code out[0, slotsPerBlock)}. */
    void decodeBlock(int seriesId, byte[] data, double[] out) throws Bytes.CorruptDataException {
        try {
            BlockCodec.decode(data, 0, data.length, out);
        } catch (io.tally.engine.codec.CorruptBlockException | RuntimeException e) {
            throw new Bytes.CorruptDataException(path.getFileName() + ": undecodable block of series " + seriesId
                    + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    static SegmentFile open(Path path) throws IOException {
        long[] parsed = parseName(path.getFileName().toString());
        if (parsed == null) {
            throw new Bytes.CorruptDataException("not a segment file name: " + path);
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = ch.size();
            if (size < HEADER + FOOTER) {
                throw new Bytes.CorruptDataException(path.getFileName() + ": too short (" + size + " bytes)");
            }
            byte[] head = readAt(ch, 0, HEADER);
            boolean v2 = Arrays.equals(head, 0, 8, MAGIC, 0, 8);
            if (!v2 && !Arrays.equals(head, 0, 8, MAGIC_V1, 0, 8)) {
                throw new Bytes.CorruptDataException(path.getFileName() + ": bad magic");
            }
            int step = Bytes.getInt(head, 8);
            long partition = Bytes.getLong(head, 12);
            int slots = Bytes.getInt(head, 20);
            if (v2 && (slots < 1 || slots > BlockCodec.MAX_SLOTS)) {
                throw new Bytes.CorruptDataException(path.getFileName() + ": bad slots per block " + slots);
            }
            byte[] foot = readAt(ch, size - FOOTER, FOOTER);
            if (!Arrays.equals(foot, 16, 24, END, 0, 8)) {
                throw new Bytes.CorruptDataException(path.getFileName() + ": bad footer");
            }
            int count = Bytes.getInt(foot, 0);
            long indexOffset = Bytes.getLong(foot, 4);
            int indexCrc = Bytes.getInt(foot, 12);
            long indexLen = size - FOOTER - indexOffset;
            if (count < 0 || indexOffset < HEADER || indexLen < 0 || indexLen > (long) count * MAX_INDEX_ENTRY) {
                throw new Bytes.CorruptDataException(path.getFileName() + ": inconsistent index");
            }
            byte[] index = readAt(ch, indexOffset, (int) indexLen);
            CRC32C crc = new CRC32C();
            crc.update(index, 0, index.length);
            if ((int) crc.getValue() != indexCrc) {
                throw new Bytes.CorruptDataException(path.getFileName() + ": index checksum mismatch");
            }
            int[] ids = new int[count];
            long[] offs = new long[count];
            int[] lens = new int[count];
            int[] crcs = new int[count];
            Bytes.Reader r = new Bytes.Reader(index, 0, index.length);
            long offset = HEADER;
            long id = -1;
            for (int i = 0; i < count; i++) {
                long delta = r.varint();
                long len = r.varint();
                id += delta;
                if (delta < 1 || id > Integer.MAX_VALUE || len > Integer.MAX_VALUE || offset + len > indexOffset) {
                    throw new Bytes.CorruptDataException(path.getFileName() + ": bad index entry " + i);
                }
                ids[i] = (int) id;
                offs[i] = offset;
                lens[i] = (int) len;
                crcs[i] = r.u32();
                offset += len;
            }
            if (!r.done() || offset != indexOffset) {
                throw new Bytes.CorruptDataException(path.getFileName() + ": index does not cover the blocks");
            }
            return new SegmentFile(path, step, partition, parsed[2], ch, ids, offs, lens, crcs, size, v2 ? slots : 0);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static byte[] readAt(FileChannel ch, long pos, int n) throws IOException {
        byte[] b = new byte[n];
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) {
            if (ch.read(bb, pos + bb.position()) < 0) {
                throw new Bytes.CorruptDataException("unexpected end of file");
            }
        }
        return b;
    }

    /**
     * Streams a new segment: call {@link #add} in increasing series id order, then {@link #finish}, which fsyncs,
     * renames into place and opens the result.
     */
    static final class Writer implements AutoCloseable {
        private final Path target;
        private final Path tmp;
        private final FileChannel ch;
        private final Bytes buf = new Bytes(1 << 20);
        private final Bytes index = new Bytes(1 << 12);
        private final CRC32C crc = new CRC32C();
        private final BlockEncoder encoder = new BlockEncoder();
        private final GrowableBuffer block = new GrowableBuffer();
        private long written;
        private int count;
        private int lastId = -1;
        private int lastIdWritten = -1;
        private boolean done;

        Writer(Path dir, int step, long partition, long seq) throws IOException {
            this.target = dir.resolve(fileName(step, partition, seq));
            this.tmp = dir.resolve(target.getFileName() + ".tmp");
            this.ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            buf.bytes(MAGIC, 0, 8);
            buf.u32(step);
            buf.u64(partition);
            buf.u32(Layout.PARTITION_SLOTS);
        }

        void add(int seriesId, double[] slots) throws IOException {
            if (seriesId <= lastId) {
                throw new IllegalArgumentException("series ids must increase");
            }
            lastId = seriesId;
            block.clear();
            int len = encoder.encode(slots, Layout.PARTITION_SLOTS, block);
            int from = BlockCodec.stripHeader(block.array(), len, Layout.PARTITION_SLOTS);
            crc.reset();
            crc.update(block.array(), from, len - from);
            index.varint(seriesId - lastIdWritten);
            index.varint(len - from);
            index.u32((int) crc.getValue());
            lastIdWritten = seriesId;
            buf.bytes(block.array(), from, len - from);
            count++;
            if (buf.len >= (1 << 20)) {
                flushBuf();
            }
        }

        int count() {
            return count;
        }

        private void flushBuf() throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(buf.buf, 0, buf.len);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            written += buf.len;
            buf.clear();
        }

        SegmentFile finish() throws IOException {
            long indexOffset = written + buf.len;
            buf.bytes(index.buf, 0, index.len);
            crc.reset();
            crc.update(index.buf, 0, index.len);
            buf.u32(count);
            buf.u64(indexOffset);
            buf.u32((int) crc.getValue());
            buf.bytes(END, 0, 8);
            flushBuf();
            ch.force(true);
            ch.close();
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Fsync.directory(target.getParent());
            done = true;
            return open(target);
        }

        @Override
        public void close() throws IOException {
            encoder.close();
            if (!done) {
                ch.close();
                Files.deleteIfExists(tmp);
            }
        }
    }
}
