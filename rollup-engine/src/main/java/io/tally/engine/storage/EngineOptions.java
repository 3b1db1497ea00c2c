package io.tally.engine.storage;

import io.tally.engine.config.StorageAggregation;
import io.tally.engine.config.StorageSchemas;
import io.tally.engine.rules.AggregationRules;
import io.tally.engine.rules.RewriteRules;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the storage engine needs, with defaults in code. Build with {@link #builder(Path)}.
 *
 * @param dataDir            root of the WAL, series table and partition files
 * @param schemas            storage-schemas.conf (retentions per series, chosen at creation)
 * @param aggregation        storage-aggregation.conf (rollup method and xFilesFactor, chosen at creation)
 * @param rewriteRules       carbon rewrite rules applied before series lookup (may be null)
 * @param aggregationRules   carbon-aggregator rules (may be null)
 * @param shards             writer threads; each owns the series hashed to it
 * @param walSyncInterval    how often the WAL is fsynced: what kill -9 may lose at most
 * @param checkpointInterval how often head data is written to immutable partition files and old WAL dropped
 * @param checkpointHeadBytes a checkpoint also runs early once the head chunks created since the last one exceed
 *                           this many bytes (estimated), so a backfill burst cannot fill the heap; 0: automatic,
 *                           {@value #AUTO_HEAD_BYTES_PER_SERIES} bytes per series, at least
 *                           {@value #AUTO_HEAD_BYTES_MIN} bytes
 * @param maxBacklogBytes    accepted-but-unapplied bytes above which receivers are asked to pause
 * @param batchBytes         size of one PointBatch
 * @param maxFutureSeconds   points further than this in the future are refused (counted)
 * @param blockCacheBytes    memory for decoded segment blocks shared by readers
 * @param clock              time source (tests inject a manual clock)
 * @param metrics            where the engine's counters go
 */
public record EngineOptions(Path dataDir, StorageSchemas schemas, StorageAggregation aggregation,
                            RewriteRules rewriteRules, AggregationRules aggregationRules, int shards,
                            Duration walSyncInterval, Duration checkpointInterval, long checkpointHeadBytes,
                            long maxBacklogBytes, int batchBytes, long maxFutureSeconds, long blockCacheBytes,
                            Clock clock, MetricsRegistry metrics) {
    /** Automatic head budget per series (see {@code checkpointHeadBytes}). */
    public static final long AUTO_HEAD_BYTES_PER_SERIES = 512;
    /** Automatic head budget floor, so small installations do not checkpoint constantly. */
    public static final long AUTO_HEAD_BYTES_MIN = 16L << 20;

    public EngineOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(schemas, "schemas");
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(metrics, "metrics");
        if (shards < 1 || shards > 256) {
            throw new IllegalArgumentException("storage.shards must be between 1 and 256, got " + shards);
        }
        if (walSyncInterval.isNegative()) {
            throw new IllegalArgumentException("storage.wal-sync-interval must not be negative");
        }
        if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException("storage.checkpoint-interval must be positive");
        }
        if (checkpointHeadBytes < 0) {
            throw new IllegalArgumentException("storage.checkpoint-head-bytes must not be negative");
        }
    }

    /** The head growth that triggers an early checkpoint with {@code series} series. */
    public long headBudgetBytes(long series) {
        return checkpointHeadBytes > 0 ? checkpointHeadBytes
                : Math.max(AUTO_HEAD_BYTES_MIN, AUTO_HEAD_BYTES_PER_SERIES * series);
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Mutable builder with Tally's defaults. */
    public static final class Builder {
        private final Path dataDir;
        private StorageSchemas schemas = StorageSchemas.defaults();
        private StorageAggregation aggregation = StorageAggregation.defaults();
        private RewriteRules rewriteRules;
        private AggregationRules aggregationRules;
        private int shards = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private Duration walSyncInterval = Duration.ofSeconds(1);
        private Duration checkpointInterval = Duration.ofMinutes(5);
        private long checkpointHeadBytes;
        private long maxBacklogBytes = 16L << 20;
        private int batchBytes = 64 << 10;
        private long maxFutureSeconds = 86_400;
        private long blockCacheBytes = 64L << 20;
        private Clock clock = Clock.SYSTEM;
        private MetricsRegistry metrics = new MetricsRegistry();

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder schemas(StorageSchemas v) { this.schemas = v; return this; }
        public Builder aggregation(StorageAggregation v) { this.aggregation = v; return this; }
        public Builder rewriteRules(RewriteRules v) { this.rewriteRules = v; return this; }
        public Builder aggregationRules(AggregationRules v) { this.aggregationRules = v; return this; }
        public Builder shards(int v) { this.shards = v; return this; }
        public Builder walSyncInterval(Duration v) { this.walSyncInterval = v; return this; }
        public Builder checkpointInterval(Duration v) { this.checkpointInterval = v; return this; }
        public Builder checkpointHeadBytes(long v) { this.checkpointHeadBytes = v; return this; }
        public Builder maxBacklogBytes(long v) { this.maxBacklogBytes = v; return this; }
        public Builder batchBytes(int v) { this.batchBytes = v; return this; }
        public Builder maxFutureSeconds(long v) { this.maxFutureSeconds = v; return this; }
        public Builder blockCacheBytes(long v) { this.blockCacheBytes = v; return this; }
        public Builder clock(Clock v) { this.clock = v; return this; }
        public Builder metrics(MetricsRegistry v) { this.metrics = v; return this; }

        public EngineOptions build() {
            return new EngineOptions(dataDir, schemas, aggregation, rewriteRules, aggregationRules, shards,
                    walSyncInterval, checkpointInterval, checkpointHeadBytes, maxBacklogBytes, batchBytes,
                    maxFutureSeconds, blockCacheBytes, clock, metrics);
        }
    }
}
