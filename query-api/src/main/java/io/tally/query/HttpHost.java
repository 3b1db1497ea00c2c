package io.tally.query;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.util.List;

/** What the HTTP server offers the {@link HttpExtension}s it mounts. */
public interface HttpHost {

    Vertx vertx();

    /** The server's worker pool ({@code tally-query}) for blocking work. */
    WorkerExecutor workers();

    /** This node's region ({@code region}). */
    String region();

    /** The POST body the server collected (bounded by {@code http.max-body}), or null for other methods. */
    Buffer body(RoutingContext ctx);

    /**
     * The API-token guard for write calls, for any method: true when the request carries the configured token
     * ({@code Authorization: Bearer <token>} or a {@code token} query parameter); otherwise answers 403 (no token
     * configured) or 401 (missing or wrong token) with a JSON {@code {"error": ...}} body and returns false.
     */
    boolean authorize(RoutingContext ctx);

    /**
     * Records a Graphite event as {@code POST /events} does (served by {@code /events/get_data}, so Grafana's
     * Graphite annotations show it). Blocking (the event is forced to disk): call it from a worker, never an event
     * loop.
     *
     * @param whenSeconds epoch seconds
     */
    void recordEvent(long whenSeconds, String what, String data, List<String> tags) throws IOException;
}
