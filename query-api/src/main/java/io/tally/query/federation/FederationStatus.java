package io.tally.query.federation;

import io.tally.query.HttpExtension;
import io.tally.query.HttpHost;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.time.Instant;
import java.util.Locale;

/**
 * {@code GET /federation/v1/status}: this node's region and, per peer, its address, circuit breaker state and the
 * latest answer and failure this node saw (docs/FEDERATION.md). Read-only and without authentication: it holds no
 * series data, no secret and no credentials (peer URLs are reduced to scheme, host, port and path). It reports
 * what earlier requests observed and sends nothing to the peers itself. Answered on the event loop (a few
 * monitor reads per peer).
 */
final class FederationStatus implements HttpExtension {
    static final String PATH = "/federation/v1/status";

    private final Federation federation;

    FederationStatus(Federation federation) {
        this.federation = federation;
    }

    @Override
    public void mount(Router router, HttpHost host) {
        router.route(PATH).method(HttpMethod.GET).handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(json().encode()));
    }

    JsonObject json() {
        JsonArray peers = new JsonArray();
        for (Federation.PeerStatus p : federation.peerStatus()) {
            peers.add(new JsonObject()
                    .put("region", p.region())
                    .put("url", p.url())
                    .put("state", p.state().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .put("last_ok_at", iso(p.lastOkAt()))
                    .put("last_error_at", iso(p.lastErrorAt()))
                    .put("last_error", p.lastError()));
        }
        Federation.Settings s = federation.settings();
        return new JsonObject().put("region", s.region()).put("root", s.root())
                .put("regions", new JsonArray(federation.regions())).put("peers", peers);
    }

    private static String iso(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis).toString();
    }
}
