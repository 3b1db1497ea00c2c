package io.tally.engine.storage;

import io.tally.engine.api.PointBatch;
import io.tally.engine.codec.BlockEncoder;
import io.tally.engine.codec.GrowableBuffer;
import io.tally.engine.config.AggregationPolicy;
import io.tally.engine.config.Schema;
import io.tally.engine.config.Archive;
import io.tally.engine.rules.Aggregator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A shard owns the series whose name hashes to it: their heads, their WAL and their segment files.
 *
 * <p><b>Threading.</b> One writer thread per shard consumes the shard's queue (point batches and control tasks)
 * and is the only thread that mutates series, heads and the WAL buffer; it holds the shard's write lock while it
 * applies a group of batches, and lets waiting readers in between two batches of the group (the lock is fair, so
 * they go first; a group under a backlog is up to 64 batches, tens of milliseconds of work). Readers take the read
 * lock only to grab the published segment map and copy head chunks, then decode segments without any lock. The
 * checkpointer thread writes segment files from a snapshot the writer copied, publishes them (volatile swap of an
 * immutable map), and only then asks the writer to evict clean chunks — so a reader always finds every slot either
 * in the head copy or in the segments it grabbed.
 *
 * <p><b>Write semantics</b> are whisper's (see {@link #apply}): route by age to the first archive whose retention
 * covers it, align, last write wins, then propagate to coarser archives with the series' aggregation method and
 * xFilesFactor, stopping at the first archive that does not receive a value.
 */
final class Shard implements Runnable, PointBatch.Visitor {
    private static final Logger LOG = LoggerFactory.getLogger(Shard.class);
    /** Clean chunks that ended this long ago are evicted after a checkpoint; late points reload them. */
    private static final long EVICT_AFTER_SECONDS = 30;

    final int index;
    private final Engine engine;
    private final EngineOptions opts;
    final Path dir;
    private final Path segDir;
    private final Path walDir;
    final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    /**
     * Fair, so that the writer, re-locking between two batches while queries wait ({@link #process}), queues behind
     * them instead of barging back in before they wake up.
     */
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
    private final SeriesTableMap byName = new SeriesTableMap();
    private final List<Series> series = new ArrayList<>();
    private final Bytes pointsPayload = new Bytes(1 << 16);
    private final double[] scratch = new double[Layout.PARTITION_SLOTS];
    private final double[] slotScratch = new double[Layout.PARTITION_SLOTS];
    /** One series' merged segment block, for rollups reading evicted slots ({@link #readSlots}). */
    private final double[] partitionScratch = new double[Layout.PARTITION_SLOTS];
    private final Map<Integer, Long> maxRetentionByStep = new HashMap<>();
    private final Aggregator aggregator;
    private volatile Map<PartKey, SegmentFile[]> segments = Map.of();
    private final List<SegmentFile> retired = new ArrayList<>();
    private Wal wal;
    private long nextSegmentSeq = 1;
    private String seriesTableFile;
    /** See {@link #headBytes()}; volatile for readers, changed only under the write lock (writer, seal pass). */
    private volatile long headBytes;
    /** Series in {@link #seriesTableFile}; -1 until known. Checkpointer thread (and start-up). */
    private int seriesTableCount = -1;
    private volatile boolean stopping;
    private Thread thread;

    // per-batch state used by point()
    private long batchNow;
    private boolean batchGenerated;
    private int batchCount;
    private boolean replaying;

    private final LongAdder pointsWritten;
    private final LongAdder tooOld;
    private final LongAdder tooNew;
    private final LongAdder seriesCreated;
    private final LongAdder lookupFallbacks;

    record PartKey(int step, long partition) {
    }

    /** Points the aggregator produced: stored as they are, never aggregated again (carbon's generated pipeline). */
    record Generated(PointBatch batch) {
    }

    Shard(int index, Engine engine, EngineOptions opts, Path dir) {
        this.index = index;
        this.engine = engine;
        this.opts = opts;
        this.dir = dir;
        this.segDir = dir.resolve("segments");
        this.walDir = dir.resolve("wal");
        this.aggregator = engine.aggregator();
        var m = opts.metrics();
        this.pointsWritten = m.counter("storage.points_written");
        this.tooOld = m.counter("storage.points_dropped.too_old");
        this.tooNew = m.counter("storage.points_dropped.too_far_future");
        this.seriesCreated = m.counter("storage.series_created");
        this.lookupFallbacks = m.counter("storage.series_lookup_fallbacks");
    }

    // ------------------------------------------------------------------------------------------------ recovery

    /** Loads the manifest, series table and segments, replays the WAL; runs before the writer thread starts. */
    void recover() throws IOException {
        Files.createDirectories(segDir);
        Files.createDirectories(walDir);
        Manifest m = Manifest.read(dir);
        long walStart = 1;
        Map<PartKey, List<SegmentFile>> segs = new HashMap<>();
        if (m != null) {
            walStart = m.walStart();
            if (m.seriesTable() != null) {
                for (Series s : SeriesTable.read(dir.resolve(m.seriesTable()))) {
                    register(s);
                }
                seriesTableFile = m.seriesTable();
            }
            for (String f : m.segments()) {
                SegmentFile sf = SegmentFile.open(segDir.resolve(f));
                segs.computeIfAbsent(new PartKey(sf.step, sf.partition), k -> new ArrayList<>()).add(sf);
                nextSegmentSeq = Math.max(nextSegmentSeq, sf.seq + 1);
            }
        }
        Map<PartKey, SegmentFile[]> published = new HashMap<>();
        segs.forEach((k, v) -> {
            v.sort((a, b) -> Long.compare(a.seq, b.seq));
            published.put(k, v.toArray(new SegmentFile[0]));
        });
        segments = Map.copyOf(published);
        for (SegmentFile[] files : published.values()) {
            for (SegmentFile f : files) {
                long end = Layout.partitionStart(f.partition + 1, f.step);
                for (int i = 0; i < f.blockCount(); i++) {
                    Series s = engine.seriesById(f.seriesIdAt(i));
                    if (s != null) {
                        s.raiseDiskHorizon(f.step, end);
                    }
                }
            }
        }
        removeUnreferencedFiles(m);
        replaying = true;
        Wal.ReplayResult r = Wal.replay(walDir, walStart, this::replayRecord);
        replaying = false;
        if (r.records() > 0 || r.truncatedBytes() > 0) {
            LOG.info("shard {}: replayed {} WAL records{}", index, r.records(),
                    r.truncatedBytes() > 0 ? ", repaired a torn tail (" + r.truncatedBytes() + " bytes dropped)" : "");
        }
        engine.metrics().counter("storage.wal_repaired_bytes").add(r.truncatedBytes());
        wal = new Wal(walDir, Math.max(walStart, r.nextSeq()));
    }

    private void removeUnreferencedFiles(Manifest m) throws IOException {
        java.util.Set<String> keep = new java.util.HashSet<>();
        if (m != null) {
            keep.addAll(m.segments());
        }
        try (Stream<Path> s = Files.list(segDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (!keep.contains(n)) {
                    LOG.info("shard {}: removing {} (not in the manifest: left by an interrupted checkpoint)", index, n);
                    Files.deleteIfExists(p);
                }
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if ((n.startsWith("series-") && !n.equals(seriesTableFile)) || n.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void replayRecord(byte type, byte[] body, int from, int to) throws IOException {
        Bytes.Reader r = new Bytes.Reader(body, from, to);
        if (type == Wal.SERIES) {
            Series s = SeriesCodec.read(r);
            if (engine.seriesByName(s.name()) == null) {
                register(s);
            }
        } else if (type == Wal.POINTS) {
            long now = r.u64();
            int n = r.u32();
            for (int i = 0; i < n; i++) {
                int id = r.u32();
                long ts = r.u64();
                double v = r.f64();
                Series s = engine.seriesById(id);
                if (s == null) {
                    throw new Bytes.CorruptDataException("WAL points for unknown series id " + id);
                }
                apply(s, ts, v, now);
            }
        } else {
            throw new Bytes.CorruptDataException("unknown WAL record type " + type);
        }
    }

    private void register(Series s) {
        byName.put(s);
        series.add(s);
        if (s.steps != retentionsNotedSteps || s.points != retentionsNotedPoints) {
            noteRetentions(s);
        }
        engine.registered(s);
    }

    /** The (shared) archive arrays whose retentions {@link #maxRetentionByStep} has seen last. */
    private int[] retentionsNotedSteps;
    private int[] retentionsNotedPoints;

    private void noteRetentions(Series s) {
        for (int i = 0; i < s.steps.length; i++) {
            maxRetentionByStep.merge(s.steps[i], s.retention(i), Math::max);
        }
        retentionsNotedSteps = s.steps;
        retentionsNotedPoints = s.points;
    }

    // ------------------------------------------------------------------------------------------------ writer

    void start() {
        thread = new Thread(this, "tally-shard-" + index);
        thread.start();
    }

    @Override
    public void run() {
        List<Object> drained = new ArrayList<>(64);
        while (true) {
            Object first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (halted) {
                break;
            }
            if (first == null) {
                if (stopping && queue.isEmpty()) {
                    break;
                }
                continue;
            }
            drained.clear();
            drained.add(first);
            queue.drainTo(drained, 63);
            try {
                process(drained);
            } catch (Throwable t) {
                LOG.error("shard {}: writer failed; points of this group may be lost", index, t);
            }
        }
        try {
            wal.close();
        } catch (IOException e) {
            LOG.error("shard {}: closing WAL", index, e);
        }
    }

    /** Series looked at per lock hold when sealing. */
    private static final int SEAL_SLICE = 1024;
    private final BlockEncoder sealEncoder = new BlockEncoder(false);
    private final GrowableBuffer sealBuffer = new GrowableBuffer(256);
    private int sealCursor;

    /**
     * Checkpointer thread (background priority): one pass over the shard's series that seals
     * ({@link HeadChunks#seal}) the open chunks that are no longer their archive's newest. Such chunks wait only for
     * the next checkpoint (or a rare late point, which reopens them), so they can sit in the head in their encoded
     * form: after a backfill burst, or between two checkpoints at a steady pace, that is most of the head. Per slice
     * of {@value #SEAL_SLICE} series: copy the candidates under the read lock, encode the copies without any lock,
     * then put the sealed forms in place under the write lock where the chunk is still there with the same content
     * (a late point written meanwhile leaves it open until the next pass). Returns the chunks sealed, or -1 when
     * {@code stop} (asked before each slice) ended the pass early.
     */
    synchronized int sealPass(BooleanSupplier stop) {
        int sealed = 0;
        int n;
        lock.readLock().lock();
        try {
            n = series.size();
        } finally {
            lock.readLock().unlock();
        }
        for (int done = 0; done < n; done += SEAL_SLICE) {
            if (stop.getAsBoolean()) {
                return -1;
            }
            sealed += sealSlice(Math.min(SEAL_SLICE, n - done));
        }
        return sealed;
    }

    private int sealSlice(int max) {
        List<Seal> seals = new ArrayList<>();
        lock.readLock().lock();
        try {
            int n = series.size();
            for (int k = 0; k < Math.min(max, n); k++) {
                if (sealCursor >= n) {
                    sealCursor = 0;
                }
                Series s = series.get(sealCursor++);
                for (int a = 0; a < s.heads.length; a++) {
                    if (s.heads[a] instanceof Object[] cs) {
                        for (int i = 0; i < cs.length - 1; i++) {
                            if (cs[i] instanceof double[] open) {
                                seals.add(new Seal(s, a, cs, i, open, open.clone()));
                            }
                        }
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        if (seals.isEmpty()) {
            return 0;
        }
        byte[][] forms = new byte[seals.size()][];
        for (int j = 0; j < forms.length; j++) {
            Seal x = seals.get(j);
            byte[] form = HeadChunks.seal(x.copy(), sealEncoder, sealBuffer);
            forms[j] = HeadChunks.heapBytes(form) < HeadChunks.heapBytes(x.open()) ? form : null;
        }
        int sealed = 0;
        lock.writeLock().lock();
        try {
            long saved = 0;
            for (int j = 0; j < forms.length; j++) {
                Seal x = seals.get(j);
                if (forms[j] != null && x.series().heads[x.archive()] == x.heads() && x.heads()[x.index()] == x.open()
                        && Arrays.equals(x.open(), x.copy())) {
                    x.heads()[x.index()] = forms[j];
                    saved += HeadChunks.heapBytes(x.open()) - HeadChunks.heapBytes(forms[j]);
                    sealed++;
                }
            }
            headBytes -= saved; // the writer changes it only under this lock too
        } finally {
            lock.writeLock().unlock();
        }
        return sealed;
    }

    /** An open chunk at {@code heads[index]} of an archive, and a copy of it taken under the read lock. */
    private record Seal(Series series, int archive, Object[] heads, int index, double[] open, double[] copy) {
    }

    private void process(List<Object> items) throws IOException {
        long bytes = 0;
        for (Object o : items) {
            if (o instanceof PointBatch b) {
                bytes += b.length();
            } else if (o instanceof Generated g) {
                bytes += g.batch().length();
            }
        }
        try {
            lock.writeLock().lock();
            try {
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0 && lock.hasQueuedThreads()) {
                        // a query or the seal pass waits: let it in before the next batch (see the lock)
                        lock.writeLock().unlock();
                        lock.writeLock().lock();
                    }
                    Object o = items.get(i);
                    if (o instanceof PointBatch b) {
                        applyBatch(b, false);
                    } else if (o instanceof Generated g) {
                        applyBatch(g.batch(), true);
                    } else if (o instanceof Runnable task) {
                        wal.writeOut();
                        task.run();
                    }
                }
            } finally {
                lock.writeLock().unlock();
            }
            wal.writeOut();
            if (opts.walSyncInterval().isZero()) {
                wal.sync();
            }
        } finally {
            // even when a group fails, its bytes leave the backlog, or paused receivers would never resume
            if (bytes > 0) {
                engine.consumed(bytes);
            }
        }
    }

    private void applyBatch(PointBatch b, boolean generated) {
        batchGenerated = generated;
        batchNow = opts.clock().nowSeconds();
        batchCount = 0;
        pointsPayload.clear();
        b.forEach(this); // collects groups of points (see point) ...
        applyGroup(b.array()); // ... and the last, partial one
        if (batchCount > 0) {
            pointsWritten.add(batchCount); // once per batch: a shared counter per point costs an atomic add
            int start = wal.mark();
            Bytes w = wal.begin(Wal.POINTS);
            w.u64(batchNow);
            w.u32(batchCount);
            w.bytes(pointsPayload.buf, 0, pointsPayload.len);
            wal.end(start);
        }
    }

    /** Points looked up together (see {@link SeriesTableMap#warm}). */
    private static final int GROUP = 16;
    private final int[] groupOff = new int[GROUP];
    private final int[] groupLen = new int[GROUP];
    private final long[] groupTs = new long[GROUP];
    private final double[] groupValue = new double[GROUP];
    private final int[] groupHash = new int[GROUP];
    private final int[] groupSlot = new int[GROUP];
    private int groupSize;
    /** Keeps the warming loads alive; never read otherwise. */
    private int warmSink;

    /** One record of the current batch (writer thread): joins the group, which is applied once it is full. */
    @Override
    public void point(byte[] buf, int nameOff, int nameLen, long ts, double value) {
        int g = groupSize++;
        groupOff[g] = nameOff;
        groupLen[g] = nameLen;
        groupTs[g] = ts;
        groupValue[g] = value;
        if (groupSize == GROUP) {
            applyGroup(buf);
        }
    }

    /** Warms the memory of the grouped points' lookups together, then applies the points one by one. */
    private void applyGroup(byte[] buf) {
        int g = groupSize;
        groupSize = 0;
        warmSink += byName.warm(buf, groupOff, groupLen, groupHash, groupSlot, g);
        for (int k = 0; k < g; k++) {
            point(buf, groupOff[k], groupLen[k], groupHash[k], groupTs[k], groupValue[k]);
        }
    }

    /** One point of the current batch (writer thread); {@code hash} is the name's {@link NameHash#hash}. */
    private void point(byte[] buf, int nameOff, int nameLen, int hash, long ts, double value) {
        if (Double.isNaN(value)) {
            return;
        }
        Series s = byName.get(buf, nameOff, nameLen, hash);
        if (s == null) {
            s = create(new String(buf, nameOff, nameLen, StandardCharsets.UTF_8));
        }
        if (aggregator != null && !batchGenerated) {
            String name = s.name();
            aggregator.accept(name, ts, value);
            if (!aggregator.shouldForward(name)) {
                return;
            }
        }
        if (apply(s, ts, value, batchNow)) {
            pointsPayload.u32(s.id);
            pointsPayload.u64(ts);
            pointsPayload.f64(value);
            batchCount++;
        }
    }

    private Series create(String name) {
        Series existing = engine.seriesByName(name);
        if (existing != null) {
            // every series lives in exactly one shard, so this only guards against a name registered twice
            lookupFallbacks.increment();
            return existing;
        }
        Schema schema = opts.schemas().match(name);
        AggregationPolicy policy = opts.aggregation().match(name);
        if (schema != layoutOf) {
            layout(schema);
        }
        // whisper keeps xFilesFactor as a float32 in the file header: compare against the same value
        Series s = new Series(engine.allocateId(), name, layoutSteps, layoutPoints, policy.method(),
                (float) policy.xFilesFactor());
        register(s);
        seriesCreated.increment();
        int start = wal.mark();
        SeriesCodec.write(s, wal.begin(Wal.SERIES));
        wal.end(start);
        return s;
    }

    /** The schema of the last series created, and its archives' steps and points as the series keep them. */
    private Schema layoutOf;
    private int[] layoutSteps;
    private int[] layoutPoints;

    /*
     * Loops of series creation live in small methods of their own, apart from create and register: a burst of new
     * series runs their loops often enough for the JIT to compile an on-stack replacement of the method holding them,
     * and such a compilation of create, with all it calls, took 0.7 s of compiler time in a cold 100k-series run.
     */
    private void layout(Schema schema) {
        List<Archive> archives = schema.archives();
        int[] steps = new int[archives.size()];
        int[] points = new int[archives.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = archives.get(i).secondsPerPoint();
            points[i] = archives.get(i).points();
        }
        layoutSteps = Series.intern(steps);
        layoutPoints = Series.intern(points);
        layoutOf = schema;
    }

    /** whisper's update for one point; true if stored. Writer thread (or recovery) under the write lock. */
    boolean apply(Series s, long ts, double value, long now) {
        if (ts > now + opts.maxFutureSeconds()) {
            tooNew.increment();
            return false;
        }
        int a = s.archiveForAge(now - ts);
        if (a < 0) {
            tooOld.increment();
            return false;
        }
        long t = Layout.align(ts, s.steps[a]);
        if (s.pendingArchive >= 0 && (s.pendingArchive != a || a + 1 >= s.steps.length
                || Layout.align(s.pendingTs, s.steps[a + 1]) != Layout.align(t, s.steps[a + 1]))) {
            flushPending(s);
        }
        setSlot(s, a, t, value);
        if (a + 1 < s.steps.length) {
            // propagate once per coarse interval instead of once per point: see flushPending
            s.pendingArchive = a;
            s.pendingTs = t;
        }
        return true;
    }

    /**
     * Rollup propagation, deferred. whisper propagates after every write; the outcome depends only on the finer
     * archive's slots at the last write into a coarse interval (known slots only grow, so the xFilesFactor test
     * cannot flip back), so the engine propagates when a write leaves the interval, before a write to another
     * archive of the series, before a checkpoint snapshot — and readers compute a pending propagation on the fly
     * ({@link #pendingView}). The result is identical to propagating on every point.
     */
    private void flushPending(Series s) {
        int a = s.pendingArchive;
        if (a < 0) {
            return;
        }
        s.pendingArchive = -1;
        long t = s.pendingTs;
        for (int lower = a + 1; lower < s.steps.length; lower++) {
            long interval = Layout.align(t, s.steps[lower]);
            int n = s.steps[lower] / s.steps[lower - 1];
            readSlots(s, lower - 1, interval, n, slotScratch);
            double v = rollup(s, slotScratch, n);
            if (Double.isNaN(v)) {
                break;
            }
            setSlot(s, lower, interval, v);
            t = interval;
        }
    }

    /** whisper's __propagate decision and value for one coarse interval; NaN when nothing is written. */
    private static double rollup(Series s, double[] slots, int n) {
        int known = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(slots[i])) {
                known++;
            }
        }
        if (known == 0 || (double) known / n < s.xff) {
            return Double.NaN;
        }
        return s.method.aggregate(slots, 0, n);
    }

    /**
     * Readers, under the read lock: the coarse slot of {@code archive} that the series' pending propagation would
     * write, as {@code {interval, value}}, or null when there is none (nothing pending, or propagation stops
     * before that archive). Reads only; chunks missing from the head are read from segments without caching.
     */
    private double[] pendingView(Series s, int archive) {
        int a = s.pendingArchive;
        if (a < 0 || archive <= a) {
            return null;
        }
        long t = s.pendingTs;
        double carried = Double.NaN;
        long carriedAt = Long.MIN_VALUE;
        double[] slots = PENDING_SLOTS.get(); // every read of an active series comes here: no 8 KiB per call
        for (int lower = a + 1; lower <= archive; lower++) {
            long interval = Layout.align(t, s.steps[lower]);
            int hs = s.steps[lower - 1];
            int n = s.steps[lower] / hs;
            readSlotsPure(s, lower - 1, interval, n, slots);
            if (lower - 1 > a) {
                slots[(int) ((carriedAt - interval) / hs)] = carried;
            }
            double v = rollup(s, slots, n);
            if (Double.isNaN(v)) {
                return null;
            }
            carried = v;
            carriedAt = interval;
            t = interval;
        }
        return new double[] {carriedAt, carried};
    }

    private void readSlotsPure(Series s, int archive, long start, int n, double[] out) {
        int step = s.steps[archive];
        Object h = s.heads[archive];
        int i = 0;
        while (i < n) {
            long t = start + (long) i * step;
            long cs = Layout.chunkStartOf(t, step);
            Object c = HeadChunks.find(h, cs);
            // readers run this concurrently: decode into the thread's own array, never the writer's scratch
            double[] chunk = c != null ? HeadChunks.values(c, Layout.chunkSlots(step), DECODED.get())
                    : loadChunk(s, archive, cs, DECODED.get());
            int from = (int) ((t - cs) / step);
            int take = Math.min(n - i, Layout.chunkSlots(step) - from);
            if (chunk == null) {
                Arrays.fill(out, i, i + take, Double.NaN);
            } else {
                System.arraycopy(chunk, from, out, i, take);
            }
            i += take;
        }
    }

    private void setSlot(Series s, int archive, long alignedTs, double value) {
        int step = s.steps[archive];
        long cs = Layout.chunkStartOf(alignedTs, step);
        Object h = s.heads[archive];
        Object found = HeadChunks.find(h, cs); // usually the archive's only chunk, open and already dirty
        double[] chunk;
        if (found instanceof double[] open) {
            chunk = open;
            if (!HeadChunks.dirty(chunk)) {
                HeadChunks.setDirty(chunk, true);
            }
        } else if (found != null) {
            // a late write into a sealed chunk: back to the open form
            chunk = HeadChunks.open((byte[]) found, Layout.chunkSlots(step));
            HeadChunks.setDirty(chunk, true);
            s.heads[archive] = HeadChunks.replace(h, indexOf(h, found), chunk);
            headBytes += HeadChunks.heapBytes(chunk) - HeadChunks.heapBytes(found);
        } else {
            chunk = loadChunk(s, archive, cs, scratch);
            if (chunk == null) {
                chunk = HeadChunks.newChunk(Layout.chunkSlots(step), cs, true);
            }
            s.heads[archive] = HeadChunks.insert(h, chunk);
            headBytes += HeadChunks.heapBytes(chunk);
        }
        chunk[(int) ((alignedTs - cs) / step)] = value;
    }

    /**
     * Reads {@code n} slots from {@code start} of a head archive for a rollup: head chunks where present, the
     * segments for evicted ones (one decode per partition and segment file). Nothing read from segments enters the
     * head: an hourly rollup reads 60 minutely slots, most of them evicted long ago, and keeping those chunks would
     * hold about 600 bytes per series until the next checkpoint.
     */
    private void readSlots(Series s, int archive, long start, int n, double[] out) {
        int step = s.steps[archive];
        Object h = s.heads[archive];
        long horizon = s.diskHorizons[archive];
        long loaded = Long.MIN_VALUE; // the partition in partitionScratch
        int i = 0;
        while (i < n) {
            long t = start + (long) i * step;
            long cs = Layout.chunkStartOf(t, step);
            int from = (int) ((t - cs) / step);
            int take = Math.min(n - i, Layout.chunkSlots(step) - from);
            Object chunk = HeadChunks.find(h, cs);
            if (chunk != null) {
                System.arraycopy(HeadChunks.values(chunk, Layout.chunkSlots(step), scratch), from, out, i, take);
            } else if (cs >= horizon) {
                Arrays.fill(out, i, i + take, Double.NaN); // never written to disk without being in the head
            } else {
                long p = Layout.partitionOf(cs, step);
                if (p != loaded) {
                    loadPartition(s, step, p, partitionScratch);
                    loaded = p;
                }
                System.arraycopy(partitionScratch, (int) ((t - Layout.partitionStart(p, step)) / step), out, i, take);
            }
            i += take;
        }
    }

    /** The series' block of partition {@code p} merged over its segment files (NaN where none has a value). */
    private void loadPartition(Series s, int step, long p, double[] out) {
        Arrays.fill(out, Double.NaN);
        SegmentFile[] files = segments.get(new PartKey(step, p));
        if (files == null) {
            return;
        }
        for (SegmentFile f : files) {
            try {
                if (f.read(s.id, scratch)) {
                    for (int k = 0; k < out.length; k++) {
                        if (!Double.isNaN(scratch[k])) {
                            out[k] = scratch[k];
                        }
                    }
                }
            } catch (IOException e) {
                engine.corruptBlock(f, s, e);
            }
        }
    }

    /**
     * The chunk at {@code chunkStart} as stored in segments (a fresh head chunk, marked dirty), or null when they
     * hold nothing; {@code buf} (a partition's slots) receives each decoded block.
     */
    private double[] loadChunk(Series s, int archive, long chunkStart, double[] buf) {
        if (chunkStart >= s.diskHorizons[archive]) {
            return null;
        }
        int step = s.steps[archive];
        long p = Layout.partitionOf(chunkStart, step);
        SegmentFile[] files = segments.get(new PartKey(step, p));
        double[] chunk = null;
        if (files != null) {
            int offset = (int) ((chunkStart - Layout.partitionStart(p, step)) / step);
            for (SegmentFile f : files) {
                try {
                    if (f.read(s.id, buf)) {
                        if (chunk == null) {
                            chunk = HeadChunks.newChunk(Layout.chunkSlots(step), chunkStart, true);
                        }
                        for (int k = 0; k < chunk.length - 1; k++) {
                            double v = buf[offset + k];
                            if (!Double.isNaN(v)) {
                                chunk[k] = v;
                            }
                        }
                    }
                } catch (IOException e) {
                    engine.corruptBlock(f, s, e);
                }
            }
        }
        return chunk;
    }

    private static int indexOf(Object head, Object chunk) {
        for (int i = 0; ; i++) {
            if (HeadChunks.at(head, i) == chunk) {
                return i;
            }
        }
    }

    /** Estimated heap bytes of head chunks (open and sealed); read by the checkpointer and gauges. */
    long headBytes() {
        return headBytes;
    }

    // ------------------------------------------------------------------------------------------------ checkpoint

    /**
     * Dirty chunks of one series in one partition, taken by the writer for the checkpointer: copies of the values of
     * open chunks, and sealed chunks themselves (their encoded values never change; the checkpointer decodes them,
     * so a snapshot does not decode under the write lock).
     */
    record DirtyBlock(int seriesId, int step, int[] offsets, Object[] chunks) {
    }

    /** What a checkpoint writes: dirty data per partition, the series list, and the WAL position it covers. */
    record Snapshot(long walStart, Map<PartKey, List<DirtyBlock>> parts, Series[] allSeries) {
    }

    /**
     * Writer thread (a queued task, so under the write lock): flushes pending rollups and rotates the WAL under the
     * lock, then copies every dirty chunk and marks it clean with the lock released. The copying changes nothing a
     * reader sees (a dirty flag shares its chunk's metadata element with the start, which stays the same; a 64-bit
     * store, atomic on 64-bit JVMs), and no point can change a chunk meanwhile since this is the writer thread; the
     * seal pass, the only other thread that changes heads, runs on the checkpointer thread, which waits for this
     * snapshot. So queries go on while a large head is copied (after a burst of 10 M points that took about half a
     * second, during which they waited).
     */
    Snapshot snapshot() throws IOException {
        for (Series s : series) {
            flushPending(s);
        }
        long walStart = wal.rotate();
        int holds = lock.getWriteHoldCount();
        for (int k = 0; k < holds; k++) {
            lock.writeLock().unlock();
        }
        try {
            return copyDirty(walStart);
        } finally {
            for (int k = 0; k < holds; k++) {
                lock.writeLock().lock();
            }
        }
    }

    /** The dirty chunks of {@link #snapshot}, marked clean; open ones copied, sealed ones as they are. */
    private Snapshot copyDirty(long walStart) {
        Map<PartKey, List<DirtyBlock>> parts = new HashMap<>();
        int[] offs = new int[Layout.MAX_CHUNKS_PER_PARTITION];
        Object[] copies = new Object[Layout.MAX_CHUNKS_PER_PARTITION];
        for (Series s : series) {
            for (int a = 0; a < s.heads.length; a++) {
                Object h = s.heads[a];
                int count = HeadChunks.count(h);
                int step = s.steps[a];
                int i = 0;
                while (i < count) {
                    if (!HeadChunks.dirty(HeadChunks.at(h, i))) {
                        i++;
                        continue;
                    }
                    long p = Layout.partitionOf(HeadChunks.start(HeadChunks.at(h, i)), step);
                    long ps = Layout.partitionStart(p, step);
                    int n = 0;
                    Object c;
                    while (i < count && Layout.partitionOf(HeadChunks.start(c = HeadChunks.at(h, i)), step) == p) {
                        if (HeadChunks.dirty(c)) {
                            offs[n] = (int) ((HeadChunks.start(c) - ps) / step);
                            copies[n] = HeadChunks.isOpen(c) ? HeadChunks.copyValues(c, Layout.chunkSlots(step)) : c;
                            HeadChunks.setDirty(c, false);
                            n++;
                        }
                        i++;
                    }
                    parts.computeIfAbsent(new PartKey(step, p), k -> new ArrayList<>())
                            .add(new DirtyBlock(s.id, step, Arrays.copyOf(offs, n), Arrays.copyOf(copies, n)));
                }
            }
        }
        return new Snapshot(walStart, parts, series.toArray(new Series[0]));
    }

    /** Checkpointer thread: writes the snapshot durably, publishes it, drops old WAL; returns bytes written. */
    long writeCheckpoint(Snapshot snap) throws IOException {
        long bytes = 0;
        Map<PartKey, SegmentFile[]> next = new HashMap<>(segments);
        double[] block = new double[Layout.PARTITION_SLOTS];
        double[] decoded = new double[Layout.PARTITION_SLOTS];
        List<PartKey> keys = new ArrayList<>(snap.parts().keySet());
        keys.sort((x, y) -> x.step() != y.step() ? Integer.compare(x.step(), y.step())
                : Long.compare(x.partition(), y.partition()));
        for (PartKey k : keys) {
            List<DirtyBlock> blocks = snap.parts().get(k);
            blocks.sort((x, y) -> Integer.compare(x.seriesId(), y.seriesId()));
            SegmentFile f;
            try (SegmentFile.Writer w = new SegmentFile.Writer(segDir, k.step(), k.partition(), nextSegmentSeq++)) {
                int i = 0;
                while (i < blocks.size()) {
                    int id = blocks.get(i).seriesId();
                    Arrays.fill(block, Double.NaN);
                    for (; i < blocks.size() && blocks.get(i).seriesId() == id; i++) {
                        DirtyBlock b = blocks.get(i);
                        int slots = Layout.chunkSlots(b.step());
                        for (int c = 0; c < b.offsets().length; c++) {
                            double[] values = HeadChunks.values(b.chunks()[c], slots, decoded);
                            System.arraycopy(values, 0, block, b.offsets()[c], slots);
                        }
                    }
                    w.add(id, block);
                }
                f = w.finish();
            }
            bytes += f.sizeBytes();
            SegmentFile[] old = next.get(k);
            SegmentFile[] merged = old == null ? new SegmentFile[] {f} : Arrays.copyOf(old, old.length + 1);
            merged[merged.length - 1] = f;
            next.put(k, merged);
        }
        String table = seriesTableFile;
        if (table == null || snap.allSeries().length != seriesTableCount) {
            // Series are only ever added, so an unchanged count means an unchanged set: keep the table.
            table = "series-" + String.format("%016x", snap.walStart()) + ".tbl";
            SeriesTable.write(dir.resolve(table), snap.allSeries());
            seriesTableCount = snap.allSeries().length;
        }
        publish(next, snap.walStart(), table);
        wal.deleteBefore(snap.walStart());
        return bytes;
    }

    private void publish(Map<PartKey, SegmentFile[]> next, long walStart, String table) throws IOException {
        List<String> names = new ArrayList<>();
        next.values().forEach(arr -> {
            for (SegmentFile f : arr) {
                names.add(f.path.getFileName().toString());
            }
        });
        names.sort(null);
        Manifest.write(dir, new Manifest(walStart, table, names));
        String oldTable = seriesTableFile;
        lock.writeLock().lock();
        try {
            segments = Map.copyOf(next);
        } finally {
            lock.writeLock().unlock();
        }
        seriesTableFile = table;
        if (oldTable != null && !oldTable.equals(table)) {
            Files.deleteIfExists(dir.resolve(oldTable));
        }
        walStartPublished = walStart;
    }

    private long walStartPublished = 1;

    /**
     * Checkpointer thread: merges the segments of partitions that have accumulated several (all of them for
     * {@code everything}), and drops partitions older than the longest retention of their step.
     */
    long compactAndExpire(long now, boolean everything) throws IOException {
        Map<PartKey, SegmentFile[]> current = segments;
        Map<PartKey, SegmentFile[]> next = new HashMap<>(current);
        List<SegmentFile> dropped = new ArrayList<>();
        long written = 0;
        double[] merged = new double[Layout.PARTITION_SLOTS];
        double[] tmp = new double[Layout.PARTITION_SLOTS];
        Map<Integer, Long> retentions;
        lock.readLock().lock();
        try {
            retentions = new HashMap<>(maxRetentionByStep);
        } finally {
            lock.readLock().unlock();
        }
        for (Map.Entry<PartKey, SegmentFile[]> e : current.entrySet()) {
            PartKey k = e.getKey();
            SegmentFile[] files = e.getValue();
            long end = Layout.partitionStart(k.partition() + 1, k.step());
            Long keep = retentions.get(k.step());
            if (keep != null && end < now - keep) {
                next.remove(k);
                dropped.addAll(Arrays.asList(files));
                continue;
            }
            boolean closed = end + EVICT_AFTER_SECONDS < now;
            if (files.length < 2 || !(everything || files.length >= 4 || closed)) {
                continue;
            }
            java.util.TreeSet<Integer> ids = new java.util.TreeSet<>();
            for (SegmentFile f : files) {
                for (int i = 0; i < f.blockCount(); i++) {
                    ids.add(f.seriesIdAt(i));
                }
            }
            SegmentFile out;
            try (SegmentFile.Writer w = new SegmentFile.Writer(segDir, k.step(), k.partition(), nextSegmentSeq++)) {
                for (int id : ids) {
                    Arrays.fill(merged, Double.NaN);
                    for (SegmentFile f : files) {
                        try {
                            if (f.read(id, tmp)) {
                                for (int i = 0; i < tmp.length; i++) {
                                    if (!Double.isNaN(tmp[i])) {
                                        merged[i] = tmp[i];
                                    }
                                }
                            }
                        } catch (Bytes.CorruptDataException ce) {
                            engine.corruptBlock(f, engine.seriesById(id), ce);
                        }
                    }
                    w.add(id, merged);
                }
                out = w.finish();
            }
            written += out.sizeBytes();
            next.put(k, new SegmentFile[] {out});
            dropped.addAll(Arrays.asList(files));
        }
        if (!dropped.isEmpty()) {
            publish(next, walStartPublished, seriesTableFile);
            engine.blockCache().invalidate(dropped);
            for (SegmentFile f : dropped) {
                Files.deleteIfExists(f.path);
            }
            // open readers may still be using these channels: close them one round later
            List<SegmentFile> toClose = new ArrayList<>(retired);
            retired.clear();
            retired.addAll(dropped);
            for (SegmentFile f : toClose) {
                f.close();
            }
        }
        return written;
    }

    /** Writer thread, under the write lock: drops clean chunks that ended long enough ago (they are durable). */
    void evict(long now) {
        for (Series s : series) {
            for (int a = 0; a < s.heads.length; a++) {
                Object h = s.heads[a];
                if (h == null) {
                    continue;
                }
                long span = Layout.chunkSpan(s.steps[a]);
                long cut = now - EVICT_AFTER_SECONDS - span; // chunks starting before it ended long enough ago
                int before = HeadChunks.count(h);
                long horizon = s.diskHorizons[a];
                long freed = 0;
                for (int i = 0; i < before; i++) {
                    Object c = HeadChunks.at(h, i);
                    if (!HeadChunks.dirty(c) && HeadChunks.start(c) < cut) {
                        horizon = Math.max(horizon, HeadChunks.start(c) + span);
                        freed += HeadChunks.heapBytes(c);
                    }
                }
                if (freed == 0) {
                    continue; // nothing to evict
                }
                Object kept = HeadChunks.retain(h, c -> HeadChunks.dirty(c) || HeadChunks.start(c) >= cut);
                s.heads[a] = kept;
                s.diskHorizons[a] = horizon;
                headBytes -= freed;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ reads

    /** Each reading thread's finer slots for {@link #pendingView} (apart from {@link #DECODED}, used meanwhile). */
    private static final ThreadLocal<double[]> PENDING_SLOTS =
            ThreadLocal.withInitial(() -> new double[Layout.PARTITION_SLOTS]);

    /** Each reading thread's block decoded from a segment (overlaid into the caller's array, then reused). */
    private static final ThreadLocal<double[]> DECODED =
            ThreadLocal.withInitial(() -> new double[Layout.PARTITION_SLOTS]);

    /** Fills {@code out} with the values of one archive of {@code s} for slots {@code start + i*step}. */
    void read(Series s, int archive, long start, double[] out) throws IOException {
        int step = s.steps[archive];
        int n = out.length;
        long end = start + (long) n * step;
        Arrays.fill(out, Double.NaN);
        Map<PartKey, SegmentFile[]> segs;
        long[] headStarts;
        double[][] headChunks;
        double[] pending;
        lock.readLock().lock();
        try {
            segs = segments;
            Object h = s.heads[archive];
            int count = HeadChunks.count(h);
            int cnt = 0;
            for (int i = 0; i < count; i++) {
                long cs = HeadChunks.start(HeadChunks.at(h, i));
                if (cs < end && cs + Layout.chunkSpan(step) > start) {
                    cnt++;
                }
            }
            pending = pendingView(s, archive);
            headStarts = new long[cnt];
            headChunks = new double[cnt][];
            int j = 0;
            for (int i = 0; i < count; i++) {
                Object c = HeadChunks.at(h, i);
                long cs = HeadChunks.start(c);
                if (cs < end && cs + Layout.chunkSpan(step) > start) {
                    headStarts[j] = cs;
                    headChunks[j++] = HeadChunks.copyValues(c, Layout.chunkSlots(step));
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        long firstP = Layout.partitionOf(start, step);
        long lastP = Layout.partitionOf(end - step, step);
        for (long p = firstP; p <= lastP; p++) {
            SegmentFile[] files = segs.get(new PartKey(step, p));
            if (files == null) {
                continue;
            }
            long ps = Layout.partitionStart(p, step);
            for (SegmentFile f : files) {
                double[] decoded = DECODED.get();
                try {
                    if (!engine.blockCache().decode(f, s.id, decoded)) {
                        continue;
                    }
                } catch (Bytes.CorruptDataException e) {
                    engine.corruptBlock(f, s, e);
                    continue;
                }
                overlay(decoded, ps, step, out, start);
            }
        }
        for (int j = 0; j < headStarts.length; j++) {
            overlay(headChunks[j], headStarts[j], step, out, start);
        }
        if (pending != null) {
            long at = (long) pending[0];
            if (at >= start && at < end) {
                out[(int) ((at - start) / step)] = pending[1];
            }
        }
    }

    /** Copies the known slots of {@code block} (starting at {@code blockStart}) that fall in {@code out}'s range. */
    private static void overlay(double[] block, long blockStart, int step, double[] out, long start) {
        long from = Math.max(blockStart, start);
        long to = Math.min(blockStart + (long) block.length * step, start + (long) out.length * step);
        if (from >= to) {
            return;
        }
        // from is at or after both starts, so the slot indexes below advance by one per step: two divisions per
        // block instead of two per slot (a fetch of 100k series overlays a 1,024-slot block for each)
        int b = (int) ((from - blockStart) / step);
        int o = (int) ((from - start) / step);
        int n = (int) ((to - from + step - 1) / step);
        for (int k = 0; k < n; k++) {
            double v = block[b + k];
            if (v == v) {
                out[o + k] = v;
            }
        }
    }


    // ------------------------------------------------------------------------------------------------ lifecycle

    /** Crash simulation: the writer exits without applying what is still queued. */
    void halt() {
        halted = true;
        stopping = true;
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private volatile boolean halted;

    void stop() throws InterruptedException {
        stopping = true;
        if (thread != null) {
            thread.join();
        }
    }

    boolean syncWal() throws IOException {
        return wal.sync();
    }

    long walBytes() {
        return wal.totalBytes();
    }


    /** Segment count and bytes, for gauges (racy reads are fine). */
    long[] segmentStats() {
        long n = 0;
        long bytes = 0;
        for (SegmentFile[] arr : segments.values()) {
            for (SegmentFile f : arr) {
                n++;
                bytes += f.sizeBytes();
            }
        }
        return new long[] {n, bytes};
    }

    /** Head chunks held in memory (takes the read lock briefly). */
    long headChunks() {
        long n = 0;
        lock.readLock().lock();
        try {
            for (Series s : series) {
                for (Object h : s.heads) {
                    n += HeadChunks.count(h);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return n;
    }

    void closeFiles() throws IOException {
        for (SegmentFile[] arr : segments.values()) {
            for (SegmentFile f : arr) {
                f.close();
            }
        }
        for (SegmentFile f : retired) {
            f.close();
        }
    }
}
