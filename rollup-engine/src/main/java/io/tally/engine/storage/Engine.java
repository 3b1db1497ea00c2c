package io.tally.engine.storage;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.IngestSink;
import io.tally.engine.api.PointBatch;
import io.tally.engine.api.SeriesData;
import io.tally.engine.api.StorageEngine;
import io.tally.engine.index.SeriesIndex;
import io.tally.engine.rules.Aggregator;
import io.tally.engine.rules.RewriteRules;
import io.tally.engine.util.BackgroundPriority;
import io.tally.engine.util.MetricsRegistry;
import io.tally.engine.util.RateLimitedLog;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * The single-node storage engine: shards (each a writer thread with its own WAL, head and segment files), the
 * series index, and two background threads — the syncer (fsyncs WALs every sync interval) and the checkpointer
 * (writes dirty head data to immutable segments every checkpoint interval, compacts, expires, evicts).
 *
 * <p>Layout under the data directory: {@code ENGINE} (format and shard count), {@code shard-<k>/MANIFEST},
 * {@code shard-<k>/series-*.tbl}, {@code shard-<k>/wal/*.wal}, {@code shard-<k>/segments/*.tsg}. See
 * docs/FORMAT.md for every byte.
 *
 * <p>Ingest: {@link #offer} splits a batch by shard (hash of the name bytes) and queues the parts; the backlog is
 * counted in bytes and receivers are asked to pause above {@code maxBacklogBytes} and resumed below half of it.
 */
public final class Engine implements StorageEngine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final int FORMAT = 1;

    private final EngineOptions opts;
    private final Shard[] shards;
    private final SeriesIndex index = new SeriesIndex(true); // lists _tagged.* like graphite-web over carbon
    /** Series by id (ids are dense); replaced by a larger copy under {@code growLock}, elements set once. */
    private volatile AtomicReferenceArray<Series> byId = new AtomicReferenceArray<>(1024);
    private final Object growLock = new Object();
    private final AtomicInteger seriesCount = new AtomicInteger();
    private final AtomicInteger maxId = new AtomicInteger(-1);
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicLong backlog = new AtomicLong();
    private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService syncer;
    private final ScheduledExecutorService checkpointer;
    private final Aggregator aggregator;
    private final RewriteRules rewrite;
    private final ConcurrentHashMap<String, String> rewriteCache = new ConcurrentHashMap<>();
    private final RateLimitedLog corruptLog = new RateLimitedLog(LOG);
    private final BlockCache blockCache;
    private final LongAdder walSyncs;
    private final LongAdder checkpoints;
    private final LongAdder earlyCheckpoints;
    /** Points the shards applied (their shared counter), for {@link #burst}. */
    private final LongAdder pointsApplied;
    private final LongAdder sealPassesDeferred;
    /** Checkpointer thread only: the counter and clock at the last look of {@link #burst}. */
    private long paceApplied;
    private long paceAtNanos;
    /** Set by {@link #burst} on the checkpointer thread; read there and by the gauge. */
    private volatile boolean burst;
    /** {@link #headBytes()} right after the last checkpoint evicted; the baseline of {@link #checkpointIfHeadGrew}. */
    private volatile long headBytesAfterCheckpoint;
    /** Head growth since the last checkpoint, in head budgets, beyond which ingest waits for the checkpoint. */
    static final int HEAD_CAP_BUDGETS = 4;
    /** Points applied per second below which ingest never counts as a burst ({@link #burst}). */
    static final long BURST_MIN_POINTS_PER_SECOND = 100_000;
    /** Head growth, in head budgets, that triggers an early checkpoint during a burst (one otherwise). */
    static final long BURST_EARLY_CHECKPOINT_BUDGETS = 3;
    /** Names per chunk of a parallel {@link #fetchAll}; at most this many are fetched on the caller alone. */
    static final int PARALLEL_FETCH_CHUNK = 512;
    /** Helpers of {@link #fetchAll}: one fewer than the cores, since the caller works too. */
    private final ThreadPoolExecutor readers;
    private final int readerThreads;
    private final LongAdder refusedAfterClose;
    private final LongAdder corruptBlocks;
    private volatile boolean closed;

    private Engine(EngineOptions opts, int shardCount) {
        this.opts = opts;
        this.shards = new Shard[shardCount];
        this.blockCache = new BlockCache(opts.blockCacheBytes());
        this.rewrite = opts.rewriteRules() != null && !opts.rewriteRules().isEmpty() ? opts.rewriteRules() : null;
        this.aggregator = opts.aggregationRules() != null && !opts.aggregationRules().isEmpty()
                ? new Aggregator(opts.aggregationRules(), new GeneratedSink()) : null;
        MetricsRegistry m = opts.metrics();
        this.walSyncs = m.counter("storage.wal_syncs");
        this.checkpoints = m.counter("storage.checkpoints");
        this.earlyCheckpoints = m.counter("storage.checkpoints_early");
        this.pointsApplied = m.counter("storage.points_written");
        this.paceAtNanos = System.nanoTime();
        this.sealPassesDeferred = m.counter("storage.seal_passes_deferred");
        m.gauge("storage.burst", () -> burst ? 1 : 0);
        this.refusedAfterClose = m.counter("storage.points_dropped.shutting_down");
        this.corruptBlocks = m.counter("storage.corrupt_blocks");
        this.syncer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "tally-wal-sync"));
        // below ingest and queries in the OS scheduler; headOverCap keeps it from falling behind for good
        this.checkpointer = Executors.newSingleThreadScheduledExecutor(
                r -> daemon(BackgroundPriority.lowered(r), "tally-checkpoint"));
        this.readerThreads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        AtomicInteger readerSeq = new AtomicInteger();
        this.readers = new ThreadPoolExecutor(readerThreads, readerThreads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> daemon(r, "tally-read-" + readerSeq.getAndIncrement()));
        this.readers.allowCoreThreadTimeOut(true);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Opens (creating or recovering) the engine in {@code opts.dataDir()} and starts its threads. */
    public static Engine open(EngineOptions opts) throws IOException {
        Path dir = opts.dataDir();
        Files.createDirectories(dir);
        int shardCount = readOrWriteMeta(dir, opts.shards());
        Engine e = new Engine(opts, shardCount);
        long t0 = System.nanoTime();
        for (int i = 0; i < shardCount; i++) {
            e.shards[i] = new Shard(i, e, opts, dir.resolve("shard-" + i));
            e.shards[i].recover();
        }
        e.nextId.set(e.maxId.get() + 1);
        LOG.info("storage opened at {}: {} shards, {} series, recovered in {} ms", dir, shardCount, e.seriesCount(),
                (System.nanoTime() - t0) / 1_000_000);
        for (Shard s : e.shards) {
            s.start();
        }
        e.registerGauges();
        e.schedule();
        return e;
    }

    private static int readOrWriteMeta(Path dir, int wanted) throws IOException {
        Path meta = dir.resolve("ENGINE");
        if (Files.exists(meta)) {
            int format = 0;
            int shards = 0;
            for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length == 2 && kv[0].equals("format")) {
                    format = Integer.parseInt(kv[1]);
                } else if (kv.length == 2 && kv[0].equals("shards")) {
                    shards = Integer.parseInt(kv[1]);
                }
            }
            if (format != FORMAT || shards < 1) {
                throw new IOException(meta + ": unsupported storage format " + format + " (this Tally reads "
                        + FORMAT + ")");
            }
            if (shards != wanted) {
                LOG.warn("storage.shards is {} but {} was created with {}; keeping {}", wanted, dir, shards, shards);
            }
            return shards;
        }
        byte[] b = ("format " + FORMAT + "\nshards " + wanted + "\n").getBytes(StandardCharsets.UTF_8);
        Fsync.writeAtomically(meta, b, b.length);
        return wanted;
    }

    private void registerGauges() {
        MetricsRegistry m = opts.metrics();
        m.gauge("storage.backlog_bytes", backlog::get);
        m.gauge("storage.series", this::seriesCount);
        m.gauge("storage.wal_bytes", () -> {
            long n = 0;
            for (Shard s : shards) {
                n += s.walBytes();
            }
            return n;
        });
        m.gauge("storage.block_cache_hit_rate", blockCache::hitRate);
        m.gauge("storage.segments", () -> segmentStats()[0]);
        m.gauge("storage.segment_bytes", () -> segmentStats()[1]);
        m.gauge("storage.head_bytes", this::headBytes);
        m.gauge("storage.head_chunks", () -> {
            long n = 0;
            for (Shard s : shards) {
                n += s.headChunks();
            }
            return n;
        });
    }

    private long[] segmentStats() {
        long[] total = new long[2];
        for (Shard s : shards) {
            long[] st = s.segmentStats();
            total[0] += st[0];
            total[1] += st[1];
        }
        return total;
    }

    private void schedule() {
        long syncMs = opts.walSyncInterval().toMillis();
        if (syncMs > 0) {
            syncer.scheduleWithFixedDelay(this::syncQuietly, syncMs, syncMs, TimeUnit.MILLISECONDS);
        }
        repeat(opts.checkpointInterval().toMillis(), () -> checkpoint(false),
                "checkpoint failed; the WAL keeps the data and the next checkpoint retries");
        repeat(1000, this::checkpointIfHeadGrew,
                "early checkpoint failed; the WAL keeps the data and the next checkpoint retries");
        repeat(1000, () -> {
            if (sealHeads(this::sealingWaits) < 0) {
                sealPassesDeferred.increment();
            }
        }, "sealing head chunks failed; they stay open");
        if (aggregator != null) {
            repeat(1000, () -> aggregator.flush(opts.clock().nowSeconds()), "aggregator flush failed");
        }
    }

    private interface Task {
        void run() throws Exception;
    }

    /** Runs {@code task} on the checkpointer thread every {@code periodMs}; a failure is logged, the next run goes on. */
    private void repeat(long periodMs, Task task, String onFailure) {
        checkpointer.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (Exception e) {
                LOG.error(onFailure, e);
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (IOException e) {
            LOG.error("WAL sync failed", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ ingest

    @Override
    public PointBatch newBatch() {
        return new PointBatch(opts.batchBytes());
    }

    /** One partition per shard, unless rewrite rules may rename points (then {@link #route} decides). */
    @Override
    public int partitions() {
        return rewrite == null ? shards.length : 1;
    }

    @Override
    public int partitionOf(byte[] name, int off, int len) {
        return NameHash.shardOf(NameHash.hash(name, off, len), shards.length);
    }

    @Override
    public PointBatch newBatch(int partition) {
        if (partition < 0 || partition >= partitions()) {
            throw new IllegalArgumentException("partition " + partition + " of " + partitions());
        }
        return new PointBatch(opts.batchBytes(), partition);
    }

    @Override
    public boolean offer(PointBatch batch) {
        return route(batch, rewrite, false);
    }

    private boolean route(PointBatch batch, RewriteRules rules, boolean generated) {
        if (batch.isEmpty()) {
            return backlog.get() < opts.maxBacklogBytes() && !headOverCap();
        }
        if (closed) {
            refusedAfterClose.add(batch.count());
            return false;
        }
        if (rules == null && shards.length == 1) {
            enqueue(shards[0], batch, generated);
        } else if (rules == null && batch.partition() >= 0) {
            // filled by a receiver with one shard's points only (newBatch(int)): no split, no copy
            assert allInShard(batch, batch.partition()) : "batch of partition " + batch.partition();
            enqueue(shards[batch.partition()], batch, generated);
        } else {
            PointBatch[] parts = new PointBatch[shards.length];
            batch.forEach((buf, off, len, ts, v) -> {
                byte[] nb = buf;
                int no = off;
                int nl = len;
                if (rules != null) {
                    String name = new String(buf, off, len, StandardCharsets.UTF_8);
                    String out = rewriteCache.computeIfAbsent(name, n -> {
                        String r = rules.rewrite(n, RewriteRules.Section.PRE);
                        return rules.rewrite(r, RewriteRules.Section.POST);
                    });
                    if (!out.equals(name)) {
                        nb = out.getBytes(StandardCharsets.UTF_8);
                        no = 0;
                        nl = nb.length;
                    }
                }
                int k = NameHash.shardOf(NameHash.hash(nb, no, nl), shards.length);
                PointBatch p = parts[k];
                if (p == null || !p.hasRoom(nl)) {
                    if (p != null) {
                        enqueue(shards[k], p, generated);
                    }
                    p = parts[k] = new PointBatch(Math.max(opts.batchBytes() / shards.length + 1024,
                            PointBatch.RECORD_OVERHEAD + nl));
                }
                p.add(nb, no, nl, ts, v);
            });
            for (int k = 0; k < parts.length; k++) {
                if (parts[k] != null) {
                    enqueue(shards[k], parts[k], generated);
                }
            }
        }
        return backlog.get() < opts.maxBacklogBytes() && !headOverCap();
    }

    /**
     * True while the head has grown by more than {@value #HEAD_CAP_BUDGETS} times its budget
     * ({@link EngineOptions#headBudgetBytes}) since the last checkpoint: the checkpoint (a background thread, see
     * {@link io.tally.engine.util.BackgroundPriority}) has fallen behind ingest, so receivers stop reading until it
     * catches up rather than letting the heap grow without bound. The checkpointer resumes them.
     */
    private boolean headOverCap() {
        return headGrewBy(HEAD_CAP_BUDGETS);
    }

    /** Whether the head grew by more than {@code budgets} head budgets since the last checkpoint. */
    private boolean headGrewBy(long budgets) {
        return headBytes() - headBytesAfterCheckpoint > budgets * opts.headBudgetBytes(seriesCount());
    }

    private boolean writable() {
        return backlog.get() < opts.maxBacklogBytes() / 2 && !headOverCap();
    }

    private boolean allInShard(PointBatch batch, int shard) {
        boolean[] ok = {true};
        batch.forEach((buf, off, len, ts, v) -> ok[0] &= partitionOf(buf, off, len) == shard);
        return ok[0];
    }

    private void enqueue(Shard s, PointBatch b, boolean generated) {
        backlog.addAndGet(b.length());
        s.queue.add(generated ? new Shard.Generated(b) : b);
    }

    @Override
    public void whenWritable(Runnable callback) {
        if (writable()) {
            callback.run();
            return;
        }
        waiting.add(callback);
        // the backlog may have drained (or a checkpoint finished) between the check and the add
        if (writable()) {
            runWaiting();
        }
    }

    void consumed(long bytes) {
        if (backlog.addAndGet(-bytes) < opts.maxBacklogBytes() / 2 && !waiting.isEmpty() && !headOverCap()) {
            runWaiting();
        }
    }

    private void runWaiting() {
        Runnable r;
        while ((r = waiting.poll()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("resume callback failed", e);
            }
        }
    }

    @Override
    public long backlogBytes() {
        return backlog.get();
    }

    /** Aggregated points re-enter storage here, skipping rewrite rules (as carbon's generated pipeline does). */
    private final class GeneratedSink implements IngestSink {
        @Override
        public PointBatch newBatch() {
            return Engine.this.newBatch();
        }

        @Override
        public boolean offer(PointBatch batch) {
            return route(batch, null, true);
        }

        @Override
        public void whenWritable(Runnable callback) {
            Engine.this.whenWritable(callback);
        }
    }

    // ------------------------------------------------------------------------------------------------ series

    Aggregator aggregator() {
        return aggregator;
    }

    MetricsRegistry metrics() {
        return opts.metrics();
    }

    BlockCache blockCache() {
        return blockCache;
    }

    int allocateId() {
        return nextId.getAndIncrement();
    }

    /** Makes a new series visible: by id first, then in the index (readers find names through the index). */
    void registered(Series s) {
        synchronized (growLock) {
            AtomicReferenceArray<Series> arr = byId;
            if (s.id >= arr.length()) {
                arr = grownById(s.id);
            }
            if (arr.getAndSet(s.id, s) == null) {
                seriesCount.incrementAndGet();
            }
            maxId.accumulateAndGet(s.id, Math::max);
        }
        index.add(s.id, s.name());
    }

    /** Replaces {@link #byId} by a copy with room for {@code id} (a method of its own: see {@code Shard.layout}). */
    private AtomicReferenceArray<Series> grownById(int id) {
        AtomicReferenceArray<Series> arr = byId;
        AtomicReferenceArray<Series> bigger = new AtomicReferenceArray<>(Math.max(arr.length() * 2, id + 1));
        for (int i = 0; i < arr.length(); i++) {
            bigger.set(i, arr.get(i));
        }
        byId = bigger;
        return bigger;
    }

    Series seriesByName(String name) {
        int id = index.idOf(name);
        return id < 0 ? null : seriesById(id);
    }

    Series seriesById(int id) {
        AtomicReferenceArray<Series> arr = byId;
        return id >= 0 && id < arr.length() ? arr.get(id) : null;
    }

    void corruptBlock(SegmentFile f, Series s, IOException e) {
        corruptBlocks.increment();
        corruptLog.warn("skipping corrupt data in {} for series {}: {}", f.path, s == null ? "?" : s.name(),
                e.getMessage());
    }

    private Shard shardOf(Series s) {
        return shards[NameHash.shardOf(s.hash, shards.length)];
    }

    // ------------------------------------------------------------------------------------------------ reads

    @Override
    public List<FindNode> find(String pattern, int limit) {
        return index.find(pattern, limit);
    }

    @Override
    public List<String> findByTags(List<String> expressions, int limit) {
        RoaringBitmap ids = index.matchTags(expressions, limit);
        List<String> out = new ArrayList<>(ids.getCardinality());
        ids.forEach((int id) -> {
            String n = index.name(id);
            if (n != null) {
                out.add(n);
            }
        });
        out.sort(null);
        return out;
    }

    @Override
    public List<String> tagNames(String prefix, List<String> expressions, int limit) {
        return index.tagNames(prefix, expressions, limit);
    }

    @Override
    public List<String> tagValues(String tag, String prefix, List<String> expressions, int limit) {
        return index.tagValues(tag, prefix, expressions, limit);
    }

    /** The index, for the query layer's glob expansion over many leaves. */
    public SeriesIndex index() {
        return index;
    }

    @Override
    public int seriesCount() {
        return seriesCount.get();
    }

    @Override
    public SeriesData fetch(String name, long from, long until, long now) {
        Series s = seriesByName(name);
        if (s == null) {
            return null;
        }
        if (from > until) {
            throw new IllegalArgumentException("from (" + from + ") is after until (" + until + ")");
        }
        long oldest = now - s.maxRetention();
        if (from > now || until < oldest) {
            return null;
        }
        from = Math.max(from, oldest);
        until = Math.min(until, now);
        int a = s.archiveForRead(now - from);
        int step = s.steps[a];
        long fromI = from - Math.floorMod(from, step) + step;
        long untilI = until - Math.floorMod(until, step) + step;
        if (fromI == untilI) {
            untilI += step;
        }
        double[] values = new double[(int) ((untilI - fromI) / step)];
        try {
            shardOf(s).read(s, a, fromI, values);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading " + name, e);
        }
        return new SeriesData(s.name(), fromI, untilI, step, values, s.method, s.xff);
    }

    /**
     * {@link #fetch} for many names. Up to {@value #PARALLEL_FETCH_CHUNK} names it runs on the caller; beyond that
     * the names are cut into chunks that the caller and the reader threads ({@code tally-read-N}, one per core) claim
     * in turn, so a wildcard over 100k series uses every core while a busy pool costs the caller nothing but doing
     * the chunks itself. The listener is called under its own monitor; the first exception stops every reader.
     */
    @Override
    public List<SeriesData> fetchAll(List<String> names, long from, long until, long now, FetchListener listener) {
        int n = names.size();
        if (n <= PARALLEL_FETCH_CHUNK) {
            return StorageEngine.super.fetchAll(names, from, until, now, listener);
        }
        SeriesData[] got = new SeriesData[n];
        int chunks = (n + PARALLEL_FETCH_CHUNK - 1) / PARALLEL_FETCH_CHUNK;
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(chunks);
        Runnable work = () -> {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                try {
                    if (failure.get() == null) {
                        int end = Math.min(n, (c + 1) * PARALLEL_FETCH_CHUNK);
                        for (int i = c * PARALLEL_FETCH_CHUNK; i < end; i++) {
                            SeriesData d = fetch(names.get(i), from, until, now);
                            if (d != null) {
                                synchronized (listener) {
                                    listener.fetched(d);
                                }
                                got[i] = d;
                            }
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }
        };
        int helpers = Math.min(readerThreads, chunks - 1);
        for (int h = 0; h < helpers; h++) {
            try {
                readers.execute(work);
            } catch (RejectedExecutionException e) {
                break; // closing: the caller does the rest
            }
        }
        work.run();
        try {
            done.await();
        } catch (InterruptedException e) {
            failure.compareAndSet(null, e);
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException("fetch interrupted", t);
        }
        List<SeriesData> out = new ArrayList<>(n);
        for (SeriesData d : got) {
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    @Override
    public void sync() throws IOException {
        for (Shard s : shards) {
            if (s.syncWal()) {
                walSyncs.increment();
            }
        }
    }

    /** Estimated bytes of head chunks over all shards. */
    long headBytes() {
        long n = 0;
        for (Shard s : shards) {
            n += s.headBytes();
        }
        return n;
    }

    /**
     * Checkpointer thread, every second: checkpoints early when the head grew by more than its budget since the
     * last checkpoint ({@link EngineOptions#headBudgetBytes}), so a burst of backfilled history is written out and
     * evicted instead of waiting in the heap for the next scheduled checkpoint. Growth, not size, is compared: a
     * head that is all open chunks (nothing to evict) does not trigger checkpoint after checkpoint.
     */
    void checkpointIfHeadGrew() throws IOException {
        checkpointIfHeadGrew(burst());
    }

    /** {@link #checkpointIfHeadGrew()} with the burst state given (see {@link #burst}). */
    void checkpointIfHeadGrew(boolean duringBurst) throws IOException {
        if (headGrewBy(duringBurst ? BURST_EARLY_CHECKPOINT_BUDGETS : 1)) {
            earlyCheckpoints.increment();
            checkpoint(false);
        }
        if (!waiting.isEmpty() && writable()) {
            runWaiting();
        }
    }

    /**
     * Checkpointer thread: whether the shards applied more than {@value #BURST_MIN_POINTS_PER_SECOND} points, and
     * more than two per series, per second since the last look (looked at again once a second has passed). No store
     * at its real-time pace does that (at most one point per series per finest step, which is at least a second); a
     * backfill, clients catching up after an outage or a benchmark do. During such a burst the checkpointer leaves
     * the CPU to ingest: it does not seal (a pass under way stops at its next slice) and checkpoints early only after
     * {@value #BURST_EARLY_CHECKPOINT_BUDGETS} head budgets of growth instead of one (ingest still waits at
     * {@value #HEAD_CAP_BUDGETS}, see {@link #headOverCap}). Both catch up within a second or two of the burst's end.
     * Why (docs/BENCHMARKS.md): sealing and checkpointing during a 10 M-point burst cost more than their own CPU at
     * background priority, because the JIT compiles their code meanwhile, at normal priority.
     */
    boolean burst() {
        long now = System.nanoTime();
        if (now - paceAtNanos >= 1_000_000_000L) {
            long applied = pointsApplied.sum();
            burst = isBurst(applied - paceApplied, now - paceAtNanos, seriesCount());
            paceApplied = applied;
            paceAtNanos = now;
        }
        return burst;
    }

    /**
     * Checkpointer thread: whether a seal pass should wait (or stop at its next slice) — during a burst, and while
     * the head has grown by more than its budget since the last checkpoint, which is then due and evicts most of
     * what sealing would encode (after a burst, sealing first could shrink the head below the budget and keep the
     * burst's chunks in the heap until the next scheduled checkpoint).
     */
    boolean sealingWaits() {
        return burst() || headGrewBy(1);
    }

    /** Whether {@code points} applied in {@code nanos} to a store of {@code series} series make a burst. */
    static boolean isBurst(long points, long nanos, long series) {
        if (nanos <= 0) {
            return false; // no interval, no pace
        }
        double perSecond = points * 1e9 / nanos;
        return perSecond > Math.max(BURST_MIN_POINTS_PER_SECOND, 2.0 * series);
    }

    /** The shards (tests: a shard's monitor keeps seal passes out, see {@link Shard#sealPass}). */
    Shard[] shards() {
        return shards;
    }

    /** The monitor every checkpoint holds; a test that holds it keeps checkpoints (and their resumes) waiting. */
    Object checkpointLock() {
        return checkpointer;
    }

    /**
     * Writes everything applied so far into segment files and drops the WAL before it. With {@code compactAll},
     * also merges every partition's segments into one (used at shutdown and by benchmarks).
     */
    public void checkpoint(boolean compactAll) throws IOException {
        synchronized (checkpointer) {
            long now = opts.clock().nowSeconds();
            long t0 = System.nanoTime();
            for (Shard sh : shards) {
                CompletableFuture<Shard.Snapshot> snap = new CompletableFuture<>();
                sh.queue.add((Runnable) () -> {
                    try {
                        snap.complete(sh.snapshot());
                    } catch (Throwable t) {
                        snap.completeExceptionally(t);
                    }
                });
                sh.writeCheckpoint(await(snap));
                sh.compactAndExpire(now, compactAll);
                CompletableFuture<Void> evicted = new CompletableFuture<>();
                sh.queue.add((Runnable) () -> {
                    sh.evict(now);
                    evicted.complete(null);
                });
                await(evicted);
            }
            checkpoints.increment();
            headBytesAfterCheckpoint = headBytes();
            if (!waiting.isEmpty() && writable()) {
                runWaiting(); // receivers paused by headOverCap
            }
            opts.metrics().gauge("storage.checkpoint_millis", () -> (System.nanoTime() - t0) / 1e6);
        }
    }

    private static <T> T await(CompletableFuture<T> f) throws IOException {
        try {
            return f.get(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a shard", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("a shard writer did not answer within 10 minutes", e);
        }
    }

    /**
     * Checkpointer thread, every second (and tests): seals the head chunks of every shard that are no longer their
     * archive's newest ({@link Shard#sealPass}); returns how many.
     */
    int sealHeads() {
        return sealHeads(() -> false);
    }

    /**
     * {@link #sealHeads()}, asking {@code stop} before each slice of 1,024 series (the checkpointer passes
     * {@link #sealingWaits}: no sealing during a burst or while a checkpoint is due, and a pass under way stops when
     * either starts); returns -1 when it stopped early.
     */
    int sealHeads(BooleanSupplier stop) {
        int n = 0;
        for (Shard sh : shards) {
            int sealed = sh.sealPass(stop);
            if (sealed < 0) {
                return -1;
            }
            n += sealed;
        }
        return n;
    }

    /** Waits until everything offered before this call has been applied and is visible to reads. */
    public void barrier() throws IOException {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Shard sh : shards) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            sh.queue.add((Runnable) () -> f.complete(null));
            all.add(f);
        }
        for (CompletableFuture<Void> f : all) {
            await(f);
        }
    }

    /**
     * Test hook simulating {@code kill -9}: writer threads stop where they are and files are released without a
     * checkpoint or a final sync. Whatever a real kill would keep (WAL bytes already written) is on disk.
     */
    void halt() throws IOException {
        closed = true;
        syncer.shutdownNow();
        checkpointer.shutdownNow();
        readers.shutdown();
        for (Shard s : shards) {
            s.halt();
        }
        for (Shard s : shards) {
            s.closeFiles();
        }
    }

    /** Stops accepting, applies what was accepted, checkpoints with full compaction and closes files. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (aggregator != null) {
            aggregator.flush(opts.clock().nowSeconds());
        }
        closed = true;
        syncer.shutdown();
        IOException failure = null;
        try {
            checkpoint(true); // also merges each partition's segments: a stopped store is compact
        } catch (IOException e) {
            failure = e;
            LOG.error("final checkpoint failed; the WAL still holds the data", e);
        }
        checkpointer.shutdownNow();
        readers.shutdown();
        for (Shard s : shards) {
            try {
                s.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Shard s : shards) {
            s.closeFiles();
        }
        runWaiting();
        if (failure != null) {
            throw failure;
        }
    }

    /** Test hook: metrics snapshot. */
    Map<String, Double> metricsSnapshot() {
        return opts.metrics().snapshot();
    }
}
