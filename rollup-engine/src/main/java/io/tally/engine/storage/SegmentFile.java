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
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * An immutable segment: the blocks of one time partition of one archive step for some of a shard's series,
 * written by one checkpoint (a delta: only chunks written since the previous checkpoint) or by a compaction
 * (all segments of the partition merged). Within a partition, later segments overlay earlier ones slot by slot.
 *
 * <pre>
 * header : "TLYSEG03", u32 step, u64 partition, u32 slotsPerBlock
 * blocks : BlockCodec encodings of slotsPerBlock slots in their stored form (without the version byte and the slot
 *          count, {@link BlockCodec#stripHeader}), back to back
 * index  : varint groupBlocks, varint groupBytes, varint columnsLength, varint deflatedLength, then a raw DEFLATE
 *          stream of deflatedLength bytes that inflates to exactly columnsLength bytes: the id column (per block in
 *          increasing seriesId order, varint (seriesId - previous seriesId), the first from -1) then the length
 *          column (varint length per block); then the CRC column: u32 crc32c over the stored bytes of each group of
 *          consecutive blocks (see {@link #groupStarts}). Blocks lie back to back from the header in index order.
 * footer : u32 blockCount, u64 indexOffset, u32 crc32c(index), "TLYEND01"
 * </pre>
 * Files of version 2 ("TLYSEG02": stored blocks, and an index of one varint id delta, varint length and u32 CRC per
 * block, interleaved) and version 1 ("TLYSEG01": version 2 with whole blocks) are still read, as files whose groups
 * are single blocks; every file written is version 3.
 *
 * <p>Why groups: a block of a short or steady series takes 10-70 bytes, so a CRC of its own cost it 6-30 % more.
 * A group closes at {@link #GROUP_BLOCKS} blocks, or before a block that would take it past {@link #GROUP_BYTES} bytes
 * (a larger block is a group of its own), so a reader reads at most a few KiB, one or two pages, to verify the
 * block it wants, and the CRC costs half a byte per block. Corruption is still always detected; what it takes out is
 * the group: up to 8 series' blocks of this partition, read as corrupt (counted and logged, and skipped by queries
 * and compaction), where it was one. A damaged disk sector of 4 KiB took out as many blocks before. The id and
 * length columns deflate to about a third of their interleaved varints (nearly every id delta is 1).
 *
 * <p>Written to a temp name, fsynced and renamed (see {@link Fsync}); readers use positional reads and verify the
 * CRC of the group of every block they return. Threading: immutable after open except for the one-group read cache
 * ({@link #lastGroup}, an immutable object behind a volatile field); {@link #read} is safe from any thread.
 */
final class SegmentFile implements AutoCloseable {
    static final byte[] MAGIC = "TLYSEG03".getBytes(StandardCharsets.US_ASCII);
    /** Version 2: stored blocks, an interleaved index. */
    static final byte[] MAGIC_V2 = "TLYSEG02".getBytes(StandardCharsets.US_ASCII);
    /** Version 1: whole blocks, header included, an interleaved index. */
    static final byte[] MAGIC_V1 = "TLYSEG01".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "TLYEND01".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 8 + 4 + 8 + 4;
    private static final int FOOTER = 4 + 8 + 4 + 8;
    private static final int MAX_INDEX_ENTRY = 5 + 5 + 4;
    /** Room for a version 3 index's four length varints and DEFLATE's framing (with one more byte per block). */
    private static final int MAX_INDEX_SLACK = 64;
    /** Most blocks under one CRC in the files this version writes. */
    static final int GROUP_BLOCKS = 8;
    /** Most bytes under one CRC in the files this version writes (unless one block alone is larger). */
    static final int GROUP_BYTES = 2048;
    /** Bounds a file's group parameters must respect. */
    private static final int MAX_GROUP_BLOCKS = 1 << 16;
    private static final int MAX_GROUP_BYTES = 1 << 24;

    final Path path;
    final int step;
    final long partition;
    final long seq;
    private final FileChannel channel;
    private final int[] ids;
    private final long[] offsets;
    private final int[] lengths;
    /** Index of the first block of each group, then the block count. */
    private final int[] groupStarts;
    /** CRC32C of each group's stored bytes. */
    private final int[] groupCrcs;
    private final long size;
    /** Slots per block; 0 in a version 1 file, whose blocks are stored whole. */
    private final int impliedSlots;
    /** The group read last, CRC verified: readers going through the blocks in order read each group once. */
    private volatile Group lastGroup;

    /** A group of blocks as stored, its CRC verified. */
    private record Group(int index, byte[] bytes) {
    }

    private SegmentFile(Path path, int step, long partition, long seq, FileChannel channel, int[] ids,
                        long[] offsets, int[] lengths, int[] groupStarts, int[] groupCrcs, long size,
                        int impliedSlots) {
        this.impliedSlots = impliedSlots;
        this.path = path;
        this.step = step;
        this.partition = partition;
        this.seq = seq;
        this.channel = channel;
        this.ids = ids;
        this.offsets = offsets;
        this.lengths = lengths;
        this.groupStarts = groupStarts;
        this.groupCrcs = groupCrcs;
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
     * The encoded block of {@code seriesId}, the CRC of its group verified, or null when this segment has none. Such a
     * block never changes (segments are immutable), so readers may keep it ({@link BlockCache}).
     */
    byte[] readBlock(int seriesId) throws IOException {
        int i = Arrays.binarySearch(ids, seriesId);
        if (i < 0) {
            return null;
        }
        int g = Arrays.binarySearch(groupStarts, 0, groupStarts.length - 1, i);
        if (g < 0) {
            g = -g - 2;
        }
        Group group = lastGroup;
        if (group == null || group.index != g) {
            group = readGroup(g, seriesId);
            lastGroup = group;
        }
        // a stored form goes after room for the header bytes it leaves out, which are put back in place
        int implied = impliedSlots == 0 ? 0 : BlockCodec.impliedHeaderBytes(impliedSlots);
        byte[] data = new byte[implied + lengths[i]];
        System.arraycopy(group.bytes, (int) (offsets[i] - offsets[groupStarts[g]]), data, implied, lengths[i]);
        if (implied > 0) {
            if (lengths[i] == 0) {
                throw new Bytes.CorruptDataException(path.getFileName() + ": empty block of series " + seriesId);
            }
            BlockCodec.restoreHeader(data, impliedSlots);
        }
        return data;
    }

    private Group readGroup(int g, int seriesId) throws IOException {
        int first = groupStarts[g];
        int last = groupStarts[g + 1] - 1;
        long start = offsets[first];
        byte[] bytes = new byte[(int) (offsets[last] + lengths[last] - start)];
        ByteBuffer bb = ByteBuffer.wrap(bytes);
        while (bb.hasRemaining()) {
            int n = channel.read(bb, start + bb.position());
            if (n < 0) {
                throw new Bytes.CorruptDataException(path.getFileName() + ": block of series " + seriesId
                        + " runs past the end of the file");
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length);
        if ((int) crc.getValue() != groupCrcs[g]) {
            throw new Bytes.CorruptDataException(path.getFileName() + ": checksum mismatch in the block group of "
                    + "series " + ids[first] + (last > first ? " to " + ids[last] : "") + " (reading series " + seriesId
                    + ")");
        }
        return new Group(g, bytes);
    }

    /**
     * Where each group of blocks starts (block indexes, then {@code count} as the end of the last): a group closes
     * at {@code groupBlocks} blocks, or before a block that would take its stored bytes past {@code groupBytes}.
     */
    static int[] groupStarts(int[] lengths, int count, int groupBlocks, int groupBytes) {
        int[] starts = new int[count + 1];
        int groups = 0;
        int inGroup = 0;
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            if (closesGroup(inGroup, bytes, lengths[i], groupBlocks, groupBytes)) {
                inGroup = 0;
                bytes = 0;
            }
            if (inGroup == 0) {
                starts[groups++] = i;
            }
            inGroup++;
            bytes += lengths[i];
        }
        starts[groups] = count;
        return Arrays.copyOf(starts, groups + 1);
    }

    /**
     * Whether a group of {@code inGroup} blocks and {@code bytes} bytes closes before a next block of {@code next}
     * bytes: at {@code groupBlocks} blocks, or when the next block would take it past {@code groupBytes}.
     */
    private static boolean closesGroup(int inGroup, long bytes, int next, int groupBlocks, int groupBytes) {
        return inGroup == groupBlocks || (inGroup > 0 && bytes + next > groupBytes);
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
            boolean v3 = Arrays.equals(head, 0, 8, MAGIC, 0, 8);
            boolean v2 = v3 || Arrays.equals(head, 0, 8, MAGIC_V2, 0, 8);
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
            if (count < 0 || indexOffset < HEADER || indexLen < 0
                    || indexLen > (long) count * (MAX_INDEX_ENTRY + 1) + MAX_INDEX_SLACK) {
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
            int[] crcs = v3 ? null : new int[count];
            Bytes.Reader r = new Bytes.Reader(index, 0, index.length);
            // version 3: group parameters, then the id and length columns, inflated; r then reads the CRC column
            Bytes.Reader idCol = r;
            Bytes.Reader lenCol = r;
            long groupBlocks = 1;
            long groupBytes = 0;
            if (v3) {
                groupBlocks = r.varint();
                groupBytes = r.varint();
                if (groupBlocks < 1 || groupBlocks > MAX_GROUP_BLOCKS
                        || groupBytes < 1 || groupBytes > MAX_GROUP_BYTES) {
                    throw new Bytes.CorruptDataException(path.getFileName() + ": bad block groups of " + groupBlocks
                            + " blocks and " + groupBytes + " bytes");
                }
                idCol = inflateColumns(path, r, count);
                lenCol = new Bytes.Reader(idCol.b, idCol.p, idCol.end);
                skipVarints(lenCol, count);
            }
            long offset = HEADER;
            long id = -1;
            for (int i = 0; i < count; i++) {
                long delta = idCol.varint();
                long len = lenCol.varint();
                id += delta;
                if (delta < 1 || id > Integer.MAX_VALUE || len > Integer.MAX_VALUE || offset + len > indexOffset) {
                    throw new Bytes.CorruptDataException(path.getFileName() + ": bad index entry " + i);
                }
                ids[i] = (int) id;
                offs[i] = offset;
                lens[i] = (int) len;
                if (!v3) {
                    crcs[i] = r.u32();
                }
                offset += len;
            }
            int[] starts;
            if (v3) {
                if (!lenCol.done()) {
                    throw new Bytes.CorruptDataException(path.getFileName() + ": index columns longer than "
                            + count + " entries");
                }
                starts = groupStarts(lens, count, (int) groupBlocks, (int) groupBytes);
                crcs = new int[starts.length - 1];
                for (int g = 0; g < crcs.length; g++) {
                    crcs[g] = r.u32();
                }
            } else {
                starts = new int[count + 1];
                Arrays.setAll(starts, g -> g);
            }
            if (!r.done() || offset != indexOffset) {
                throw new Bytes.CorruptDataException(path.getFileName() + ": index does not cover the blocks");
            }
            return new SegmentFile(path, step, partition, parsed[2], ch, ids, offs, lens, starts, crcs, size,
                    v2 ? slots : 0);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Reads a version 3 index's column header and inflates the id and length columns; leaves {@code r} at the CRC
     * column and returns a reader over the columns.
     */
    private static Bytes.Reader inflateColumns(Path path, Bytes.Reader r, int count) throws IOException {
        long columnsLength = r.varint();
        long deflatedLength = r.varint();
        if (columnsLength < 2L * count || columnsLength > 10L * count || deflatedLength > r.end - r.p) {
            throw new Bytes.CorruptDataException(path.getFileName() + ": bad index column lengths " + columnsLength
                    + "/" + deflatedLength + " for " + count + " blocks");
        }
        byte[] columns = new byte[(int) columnsLength];
        if (count == 0) {
            if (deflatedLength != 0) {
                throw new Bytes.CorruptDataException(path.getFileName() + ": index columns in an empty segment");
            }
            return new Bytes.Reader(columns, 0, 0);
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(r.b, r.p, (int) deflatedLength);
            int got = inflater.inflate(columns);
            if (got != columns.length || !inflater.finished() || inflater.getRemaining() != 0) {
                throw new Bytes.CorruptDataException(path.getFileName() + ": index columns do not inflate to their "
                        + columnsLength + " bytes");
            }
        } catch (DataFormatException e) {
            throw new Bytes.CorruptDataException(path.getFileName() + ": malformed index columns: " + e.getMessage());
        } finally {
            inflater.end();
        }
        r.p += (int) deflatedLength;
        return new Bytes.Reader(columns, 0, columns.length);
    }

    private static void skipVarints(Bytes.Reader r, int count) throws Bytes.CorruptDataException {
        for (int i = 0; i < count; i++) {
            r.varint();
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
        private final Bytes idColumn = new Bytes(1 << 12);
        private final Bytes lengthColumn = new Bytes(1 << 12);
        private final Bytes crcColumn = new Bytes(1 << 12);
        private final CRC32C crc = new CRC32C();
        private final CRC32C groupCrc = new CRC32C();
        private int inGroup;
        private long groupBytes;
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
            int stored = len - from;
            // the groups of groupStarts, closed as the blocks come
            if (closesGroup(inGroup, groupBytes, stored, GROUP_BLOCKS, GROUP_BYTES)) {
                closeGroup();
            }
            groupCrc.update(block.array(), from, stored);
            inGroup++;
            groupBytes += stored;
            idColumn.varint(seriesId - lastIdWritten);
            lengthColumn.varint(stored);
            lastIdWritten = seriesId;
            buf.bytes(block.array(), from, stored);
            count++;
            if (buf.len >= (1 << 20)) {
                flushBuf();
            }
        }

        int count() {
            return count;
        }

        private void closeGroup() {
            crcColumn.u32((int) groupCrc.getValue());
            groupCrc.reset();
            inGroup = 0;
            groupBytes = 0;
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
            if (inGroup > 0) {
                closeGroup();
            }
            long indexOffset = written + buf.len;
            int indexStart = buf.len;
            idColumn.bytes(lengthColumn.buf, 0, lengthColumn.len);
            buf.varint(GROUP_BLOCKS);
            buf.varint(GROUP_BYTES);
            buf.varint(idColumn.len);
            if (count == 0) {
                buf.varint(0);
            } else {
                byte[] deflated = deflate(idColumn.buf, idColumn.len);
                buf.varint(deflated.length);
                buf.bytes(deflated, 0, deflated.length);
            }
            buf.bytes(crcColumn.buf, 0, crcColumn.len);
            crc.reset();
            crc.update(buf.buf, indexStart, buf.len - indexStart);
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

        private static byte[] deflate(byte[] data, int len) {
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
            try {
                deflater.setInput(data, 0, len);
                deflater.finish();
                byte[] out = new byte[len + len / 8 + 64];
                int n = 0;
                while (!deflater.finished()) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, out.length * 2);
                    }
                    n += deflater.deflate(out, n, out.length - n);
                }
                return Arrays.copyOf(out, n);
            } finally {
                deflater.end();
            }
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
