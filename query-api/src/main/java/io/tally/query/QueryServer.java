package io.tally.query;

import io.tally.engine.api.StorageReader;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.federation.Federation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running {@link GraphiteHttpServer} in its own Vert.x instance, behind a blocking, framework-free handle, so the
 * server module never sees a Vert.x type. {@link #start} returns once the port is bound; {@link #close} returns once
 * the port is released and the worker pool is gone.
 */
public final class QueryServer implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final GraphiteHttpServer http;
    private final Federation federation;

    private QueryServer(Vertx vertx, GraphiteHttpServer http, Federation federation) {
        this.vertx = vertx;
        this.http = http;
        this.federation = federation;
    }

    private static void closeQuietly(Federation federation) {
        if (federation != null) {
            federation.close();
        }
    }

    /**
     * Binds and starts serving.
     *
     * @throws Exception the bind failure (a {@link java.net.BindException} in the cause chain when the port is
     *                   taken), or a timeout
     */
    public static QueryServer start(StorageReader reader, Clock clock, QueryLimits limits,
                                    GraphiteHttpServer.Settings settings, MetricsRegistry metrics) throws Exception {
        return start(reader, clock, limits, settings, metrics, List.of());
    }

    /** As {@link #start(StorageReader, Clock, QueryLimits, GraphiteHttpServer.Settings, MetricsRegistry)}, with
     * other modules' routes mounted on the same port. */
    public static QueryServer start(StorageReader reader, Clock clock, QueryLimits limits,
                                    GraphiteHttpServer.Settings settings, MetricsRegistry metrics,
                                    List<HttpExtension> extensions) throws Exception {
        return start(reader, clock, limits, settings, metrics, extensions, null, null);
    }

    /**
     * As above, with cross-region queries through {@code federation} (null: none; closed with the server) and https
     * with {@code tls} (null: plain http).
     */
    public static QueryServer start(StorageReader reader, Clock clock, QueryLimits limits,
                                    GraphiteHttpServer.Settings settings, MetricsRegistry metrics,
                                    List<HttpExtension> extensions, Federation federation, HttpTls tls)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        GraphiteHttpServer http = new GraphiteHttpServer(reader, clock, limits, settings, metrics, extensions,
                federation, tls);
        try {
            await(vertx.deployVerticle(http));
        } catch (ExecutionException e) {
            await(vertx.close());
            closeQuietly(federation);
            throw e.getCause() instanceof Exception c ? c : e;
        } catch (TimeoutException | InterruptedException e) {
            vertx.close();
            closeQuietly(federation);
            throw e;
        }
        return new QueryServer(vertx, http, federation);
    }

    /** The bound port. */
    public int port() {
        return http.actualPort();
    }

    /** {@code /health} answers 503 "draining" from now on. */
    public void drain() {
        http.drain();
    }

    /** Stops listening, waits for the port to be released. */
    @Override
    public void close() throws IOException {
        try {
            await(vertx.close());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while closing the HTTP server");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("closing the HTTP server failed: " + e.getMessage(), e);
        } finally {
            closeQuietly(federation);
        }
    }

    private static <T> T await(Future<T> f) throws InterruptedException, ExecutionException, TimeoutException {
        return f.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
