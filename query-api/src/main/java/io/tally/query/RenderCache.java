package io.tally.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.tally.engine.util.Clock;

import java.util.concurrent.TimeUnit;

/**
 * graphite-web's render response cache: finished {@code /render} bodies keyed by {@link RenderRequest#cacheKey()}
 * (the request with absolute times resolved to epoch seconds and relative ones as written, so a dashboard asking
 * for {@code from=-6h} again within the time to live gets the stored answer, as from graphite-web),
 * each kept for its own time to live: the request's {@code cacheTimeout}, else the server default
 * ({@code query.cache-timeout}); 0 means not cached. {@code noCache} neither reads nor fills it.
 *
 * <p>Bounded by bytes: the weight of an entry is its body's array plus its key; Caffeine evicts by frequency and
 * recency past {@code maxBytes}. Expiry follows the injected {@link Clock}, so tests need no sleeping. Two
 * concurrent misses for one key both render (no stampede guard); the later put wins. Thread-safe.
 */
public final class RenderCache {
    /** A cached answer and the second it expires at. */
    public record Hit(Body body, long expiresAtSeconds) {
    }

    private record Entry(Body body, long ttlNanos, long expiresAtSeconds) {
    }

    private final Cache<String, Entry> cache;
    private final Clock clock;
    private final int defaultTimeoutSeconds;

    /**
     * @param defaultTimeoutSeconds time to live when the request gives no {@code cacheTimeout}; 0: not cached
     * @param maxBytes              most bytes of bodies and keys kept; 0 disables the cache
     */
    public RenderCache(Clock clock, int defaultTimeoutSeconds, long maxBytes) {
        this.clock = clock;
        this.defaultTimeoutSeconds = Math.max(0, defaultTimeoutSeconds);
        this.cache = Caffeine.newBuilder()
                .maximumWeight(Math.max(0, maxBytes))
                .weigher((String k, Entry e) -> (int) Math.min(Integer.MAX_VALUE,
                        (long) e.body().bytes().length + 2L * k.length() + 64))
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry e, long now) {
                        return e.ttlNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry e, long now, long current) {
                        return e.ttlNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Entry e, long now, long current) {
                        return current;
                    }
                })
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.currentTimeMillis()))
                .executor(Runnable::run)
                .build();
    }

    /** Seconds {@code r}'s answer may be cached: 0 for none ({@code noCache}, or no timeout given or configured). */
    public int timeoutFor(RenderRequest r) {
        if (r.noCache()) {
            return 0;
        }
        return r.cacheTimeout() >= 0 ? r.cacheTimeout() : defaultTimeoutSeconds;
    }

    /** The cached answer to {@code r}, or null (always null when {@link #timeoutFor} is 0). */
    public Hit get(RenderRequest r) {
        if (timeoutFor(r) == 0) {
            return null;
        }
        Entry e = cache.getIfPresent(r.cacheKey());
        return e == null ? null : new Hit(e.body(), e.expiresAtSeconds());
    }

    /** Keeps {@code body} as the answer to {@code r} for {@link #timeoutFor}{@code (r)} seconds (if not 0). */
    public void put(RenderRequest r, Body body) {
        int ttl = timeoutFor(r);
        if (ttl > 0) {
            if (body.bytes().length != body.length()) {
                body = new Body(body.contentType(), java.util.Arrays.copyOf(body.bytes(), body.length()),
                        body.length()); // do not keep a writer's spare capacity
            }
            cache.put(r.cacheKey(), new Entry(body, TimeUnit.SECONDS.toNanos(ttl), clock.nowSeconds() + ttl));
        }
    }

    /** Seconds until a hit expires, at least 0. */
    public long remainingSeconds(Hit h) {
        return Math.max(0, h.expiresAtSeconds() - clock.nowSeconds());
    }

    /** Entries currently held (after pending evictions). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** Bytes currently held by the weigher's measure. */
    public long weightedBytes() {
        cache.cleanUp();
        return cache.policy().eviction().map(ev -> ev.weightedSize().orElse(0)).orElse(0L);
    }
}
