package io.tally.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Counts points that carbon-cache has written to whisper files, by reading the files' first archive directly:
 * the points graphite-web would read from disk. Points still in carbon's in-memory cache are not counted, so this is
 * the "durable" meaning of queryable.
 *
 * <p>Whisper layout read here (all big-endian): a 16-byte header (aggregation type, max retention, x-files factor,
 * archive count), then 12 bytes per archive (offset, seconds per point, point count), then each archive's ring of
 * 12-byte points (uint32 interval, float64 value). A timestamp's slot is {@code ((t - base) / spp) mod count},
 * where {@code base} is the interval stored in slot 0; the slot holds that timestamp only if its stored interval
 * equals it. A file with base 0 has no points yet.
 */
final class WhisperProbe implements QueryableProbe {

    private static final int HEADER_BYTES = 16;
    private static final int ARCHIVE_INFO_BYTES = 12;
    private static final int POINT_BYTES = 12;

    private final Path root;
    private final Workload workload;
    private final int[] sample;

    WhisperProbe(Path root, Workload workload, int[] sample) {
        this.root = root;
        this.workload = workload;
        this.sample = sample.clone();
    }

    @Override
    public String describe() {
        return "whisper files under " + root + " (first archive, read directly)";
    }

    @Override
    public long countSample() throws IOException {
        long count = 0;
        for (int s : sample) {
            count += countFile(fileOf(s));
        }
        return count;
    }

    @Override
    public long sampleExpected() {
        return (long) sample.length * workload.points();
    }

    @Override
    public long countAll() throws IOException {
        long count = 0;
        for (int s = 0; s < workload.seriesCount(); s++) {
            count += countFile(fileOf(s));
        }
        return count;
    }

    Path fileOf(int series) {
        return root.resolve(workload.name(series).replace('.', '/') + ".wsp");
    }

    /** Points of the workload's timestamps present in the first archive of {@code file}; 0 if it does not exist. */
    long countFile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = read(ch, 0, HEADER_BYTES + ARCHIVE_INFO_BYTES);
            if (head.getInt(12) < 1) {
                return 0;
            }
            long offset = Integer.toUnsignedLong(head.getInt(HEADER_BYTES));
            long spp = Integer.toUnsignedLong(head.getInt(HEADER_BYTES + 4));
            long slots = Integer.toUnsignedLong(head.getInt(HEADER_BYTES + 8));
            long base = Integer.toUnsignedLong(read(ch, offset, 4).getInt(0));
            if (base == 0 || spp == 0 || slots == 0) {
                return 0;
            }
            long first = align(workload.timestamp(0), spp);
            long last = align(workload.timestamp(workload.points() - 1), spp);
            long span = Math.min(slots, (last - first) / spp + 1);
            long firstSlot = Math.floorMod((first - base) / spp, slots);
            // Read the span as one or two contiguous runs (the ring may wrap).
            long run1 = Math.min(span, slots - firstSlot);
            ByteBuffer points = ByteBuffer.allocate((int) (span * POINT_BYTES));
            points.put(read(ch, offset + firstSlot * POINT_BYTES, (int) (run1 * POINT_BYTES)));
            if (run1 < span) {
                points.put(read(ch, offset, (int) ((span - run1) * POINT_BYTES)));
            }
            long count = 0;
            long previous = -1;
            for (int i = 0; i < workload.points(); i++) {
                long interval = align(workload.timestamp(i), spp);
                long index = (interval - first) / spp;
                if (interval == previous || index >= span) {
                    continue;
                }
                previous = interval;
                if (Integer.toUnsignedLong(points.getInt((int) (index * POINT_BYTES))) == interval) {
                    count++;
                }
            }
            return count;
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private static long align(long t, long spp) {
        return t - Math.floorMod(t, spp);
    }

    private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                // Carbon may be creating the file right now: a short file has no complete points yet.
                return ByteBuffer.allocate(length);
            }
        }
        return buf.flip();
    }
}
