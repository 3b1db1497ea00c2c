package io.tally.engine.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * One shard's write-ahead log: numbered segment files {@code <seq as 16 hex digits>.wal} in the shard's
 * {@code wal/} directory, each a sequence of records
 * {@code u32 length, u32 crc32c(type..payload), u8 type, payload} (big-endian; see docs/FORMAT.md).
 *
 * <p>Writing: the shard's writer thread appends records to an in-memory buffer and calls {@link #writeOut} at the
 * end of every batch, so accepted data reaches the OS (and survives a process kill) within one batch; the sync
 * thread calls {@link #sync} every sync interval to make it survive power loss too. A checkpoint calls
 * {@link #rotate}: later records go to a new segment, and segments before it can be deleted once the checkpoint
 * is durable. Segments also rotate when they exceed {@link #MAX_SEGMENT_BYTES}.
 *
 * <p>Reading ({@link #replay}): records are delivered in order; the first record that is short or fails its CRC
 * ends the log: the file is truncated there, later segments are deleted, and what was dropped is logged.
 */
final class Wal implements AutoCloseable {
    static final byte SERIES = 1;
    static final byte POINTS = 2;
    static final int MAX_RECORD = 64 << 20;
    static final long MAX_SEGMENT_BYTES = 256L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(Wal.class);

    private final Path dir;
    private final Bytes buffer = new Bytes(1 << 16);
    private final CRC32C crc = new CRC32C();
    private final Object channelLock = new Object();
    private FileChannel channel;
    private long seq;
    private long segmentBytes;
    private long totalBytes;
    private volatile boolean dirtySinceSync;

    Wal(Path dir, long firstSeq) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.seq = firstSeq;
        this.channel = open(firstSeq);
    }

    private FileChannel open(long s) throws IOException {
        Path p = dir.resolve(fileName(s));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        Fsync.directory(dir);
        segmentBytes = 0;
        return ch;
    }

    static String fileName(long seq) {
        return String.format("%016x.wal", seq);
    }

    long currentSeq() {
        return seq;
    }

    long totalBytes() {
        return totalBytes;
    }

    /** Starts a record of {@code type}; the caller appends the payload to the returned buffer and calls {@link #end}. */
    Bytes begin(byte type) {
        buffer.ensure(9);
        buffer.len += 8; // length and crc, patched by end()
        buffer.u8(type);
        return buffer;
    }

    /** Finishes the record that began at {@code start} (the value of {@link #mark()} before {@link #begin}). */
    void end(int start) {
        int bodyStart = start + 8;
        int bodyLen = buffer.len - bodyStart;
        Bytes.putInt(buffer.buf, start, bodyLen);
        crc.reset();
        crc.update(buffer.buf, bodyStart, bodyLen);
        Bytes.putInt(buffer.buf, start + 4, (int) crc.getValue());
    }

    int mark() {
        return buffer.len;
    }


    /** Writes buffered records to the segment file (to the OS page cache). Writer thread only. */
    void writeOut() throws IOException {
        if (buffer.len == 0) {
            return;
        }
        synchronized (channelLock) {
            ByteBuffer bb = ByteBuffer.wrap(buffer.buf, 0, buffer.len);
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
            segmentBytes += buffer.len;
            totalBytes += buffer.len;
            dirtySinceSync = true;
        }
        buffer.clear();
        if (segmentBytes > MAX_SEGMENT_BYTES) {
            rotate();
        }
    }

    /** fsyncs the current segment if anything was written since the last sync. Any thread. */
    boolean sync() throws IOException {
        if (!dirtySinceSync) {
            return false;
        }
        synchronized (channelLock) {
            dirtySinceSync = false;
            channel.force(false);
        }
        return true;
    }

    /** Closes the current segment (synced) and starts the next; returns the new segment's sequence number. */
    long rotate() throws IOException {
        writeOut();
        synchronized (channelLock) {
            channel.force(false);
            channel.close();
            seq++;
            channel = open(seq);
            dirtySinceSync = false;
        }
        return seq;
    }

    /** Deletes segments numbered below {@code seq} (their content is in a durable checkpoint). */
    void deleteBefore(long seqLimit) throws IOException {
        for (long s : segments(dir)) {
            if (s < seqLimit) {
                Files.deleteIfExists(dir.resolve(fileName(s)));
            }
        }
    }

    @Override
    public void close() throws IOException {
        writeOut();
        synchronized (channelLock) {
            if (channel.isOpen()) {
                channel.force(false);
                channel.close();
            }
        }
    }

    static List<Long> segments(Path dir) throws IOException {
        List<Long> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.length() == 20 && n.endsWith(".wal")) {
                    try {
                        out.add(Long.parseUnsignedLong(n.substring(0, 16), 16));
                    } catch (NumberFormatException ignored) {
                        // not ours
                    }
                }
            });
        }
        out.sort(null);
        return out;
    }

    /** Receives replayed records. {@code body} holds the payload from {@code from} to {@code to}. */
    interface RecordHandler {
        void record(byte type, byte[] body, int from, int to) throws IOException;
    }

    /** What replay found: the next free sequence number and how much was repaired. */
    record ReplayResult(long nextSeq, long records, long truncatedBytes, int deletedSegments) {
    }

    /**
     * Replays segments numbered {@code >= fromSeq} in order, repairing a torn or corrupt tail (see class comment).
     */
    static ReplayResult replay(Path dir, long fromSeq, RecordHandler handler) throws IOException {
        List<Long> segs = segments(dir);
        long next = fromSeq;
        long records = 0;
        long truncated = 0;
        int deleted = 0;
        boolean broken = false;
        CRC32C crc = new CRC32C();
        byte[] body = new byte[1 << 16];
        for (long s : segs) {
            if (s < fromSeq) {
                continue;
            }
            Path file = dir.resolve(fileName(s));
            if (broken) {
                long size = Files.size(file);
                LOG.warn("WAL {}: deleting segment {} ({} bytes) after the corrupt record", dir, file.getFileName(),
                        size);
                truncated += size;
                Files.delete(file);
                deleted++;
                continue;
            }
            next = s + 1;
            long size = Files.size(file);
            long good = 0;
            String problem = null;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
                byte[] head = new byte[8];
                while (true) {
                    int n = readFully(in, head, 8);
                    if (n == 0) {
                        break;
                    }
                    if (n < 8) {
                        problem = "truncated record header";
                        break;
                    }
                    int len = Bytes.getInt(head, 0);
                    int sum = Bytes.getInt(head, 4);
                    if (len < 1 || len > MAX_RECORD) {
                        problem = "impossible record length " + len;
                        break;
                    }
                    if (body.length < len) {
                        body = new byte[Math.max(len, body.length * 2)];
                    }
                    if (readFully(in, body, len) < len) {
                        problem = "truncated record body";
                        break;
                    }
                    crc.reset();
                    crc.update(body, 0, len);
                    if ((int) crc.getValue() != sum) {
                        problem = "checksum mismatch";
                        break;
                    }
                    handler.record(body[0], body, 1, len);
                    records++;
                    good += 8 + len;
                }
            }
            if (problem != null) {
                broken = true;
                LOG.warn("WAL {}: {} at byte {} of {}; truncating {} bytes (records after this point are lost)",
                        dir, problem, good, file.getFileName(), size - good);
                truncated += size - good;
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(good);
                    ch.force(true);
                }
            }
        }
        return new ReplayResult(next, records, truncated, deleted);
    }

    private static int readFully(InputStream in, byte[] b, int n) throws IOException {
        int got = 0;
        while (got < n) {
            int r = in.read(b, got, n - got);
            if (r < 0) {
                return got;
            }
            got += r;
        }
        return got;
    }

}
