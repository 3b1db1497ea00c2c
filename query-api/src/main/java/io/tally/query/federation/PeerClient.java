package io.tally.query.federation;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.SeriesData;
import io.tally.engine.util.Clock;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * The calling side of the peer protocol for one peer: builds the signed GET, sends it asynchronously on the shared
 * {@link HttpClient} (its own bounded executor, never a Vert.x thread), gunzips and decodes the body on that
 * executor, and reports the outcome to the peer's {@link CircuitBreaker}. Every call completes within the peer
 * timeout: the exchange is cancelled when it runs over. Failures complete the future with a {@link PeerException}.
 * The outcome of the latest calls is kept for {@code GET /federation/v1/status} ({@link #health()}): when the peer
 * last answered, and when and why it last failed (calls skipped by the open breaker change neither).
 * Thread-safe (the health fields are updated under the instance's monitor, a few writes per call).
 */
final class PeerClient {
    /** Largest decompressed body accepted from a peer (guards against a hostile or broken peer). */
    static final long MAX_BODY_BYTES = 512L << 20;

    private final Federation.Peer peer;
    private final String ownRegion;
    private final HttpClient http;
    private final PeerAuth auth;
    private final CircuitBreaker breaker;
    private final Duration timeout;
    private final String basePath;
    private final Clock clock;
    private long lastOkAt;
    private long lastErrorAt;
    private String lastError;

    /**
     * What this node last saw of the peer: epoch milliseconds of the last answer (0: none yet), of the last failure
     * (0: none) and its reason and detail (null: none).
     */
    record Health(long lastOkAt, long lastErrorAt, String lastError) {
    }

    PeerClient(Federation.Peer peer, String ownRegion, HttpClient http, PeerAuth auth, CircuitBreaker breaker,
               Duration timeout, Clock clock) {
        this.peer = peer;
        this.clock = clock;
        this.ownRegion = ownRegion;
        this.http = http;
        this.auth = auth;
        this.breaker = breaker;
        this.timeout = timeout;
        String p = peer.url().toString();
        this.basePath = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    Federation.Peer peer() {
        return peer;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    synchronized Health health() {
        return new Health(lastOkAt, lastErrorAt, lastError);
    }

    private synchronized void answered() {
        lastOkAt = clock.currentTimeMillis();
    }

    private synchronized void failed(PeerException problem) {
        lastErrorAt = clock.currentTimeMillis();
        lastError = problem.reason() + ": " + problem.getMessage();
    }

    CompletableFuture<List<FindNode>> find(String pattern, int limit) {
        String query = "query=" + enc(pattern) + "&limit=" + limit;
        return call(FederationEndpoints.FIND, query, PeerWire::decodeFind);
    }

    /** A path pattern ({@code query}) or seriesByTag expressions ({@code exprs}), fetched over the window. */
    CompletableFuture<List<SeriesData>> fetch(String pattern, List<String> exprs, long from, long until, long now,
                                              int limit) {
        StringBuilder q = new StringBuilder(64);
        if (pattern != null) {
            q.append("query=").append(enc(pattern));
        }
        for (String e : exprs) {
            q.append(q.isEmpty() ? "" : "&").append("expr=").append(enc(e));
        }
        q.append("&from=").append(from).append("&until=").append(until).append("&now=").append(now)
                .append("&limit=").append(limit);
        return call(FederationEndpoints.FETCH, q.toString(), PeerWire::decodeFetch);
    }

    private <T> CompletableFuture<T> call(String endpoint, String rawQuery, Function<byte[], T> decode) {
        if (!breaker.allow()) {
            return CompletableFuture.failedFuture(new PeerException("circuit-open",
                    "skipped: the circuit breaker is open after repeated failures"));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(basePath + endpoint + "?" + rawQuery))
                .timeout(timeout)
                .header("Accept-Encoding", "gzip")
                .header(PeerAuth.HEADER, auth.sign(ownRegion, "GET", endpoint, rawQuery))
                .GET().build();
        CompletableFuture<HttpResponse<byte[]>> exchange =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        // The request timeout covers the response headers; a body that stalls is cut off here.
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> exchange.cancel(true));
        return exchange.handle((response, failure) -> {
            PeerException problem;
            T result = null;
            if (failure != null) {
                problem = classify(failure);
            } else if (response.statusCode() != 200) {
                problem = new PeerException(response.statusCode() == 401 ? "unauthorized"
                        : "http-" + response.statusCode(), statusDetail(response));
            } else {
                try {
                    result = decode.apply(body(response));
                    problem = null;
                } catch (IOException | IllegalArgumentException e) {
                    problem = new PeerException("bad-response", "undecodable answer: " + e.getMessage());
                }
            }
            if (problem == null) {
                breaker.success();
                answered();
                return result;
            }
            if (problem.peerFault()) {
                breaker.failure();
                failed(problem);
            } else {
                breaker.success(); // it answered: the peer itself is healthy
                answered();
            }
            throw problem;
        });
    }

    private static PeerException classify(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (t instanceof HttpTimeoutException || t instanceof CancellationException) {
            return new PeerException("timeout", "no answer in time");
        }
        if (t instanceof ConnectException) {
            return new PeerException("unreachable", "connection refused");
        }
        return new PeerException("unreachable", t.getClass().getSimpleName()
                + (t.getMessage() == null ? "" : ": " + t.getMessage()));
    }

    private static String statusDetail(HttpResponse<byte[]> response) {
        byte[] b;
        try {
            b = body(response);
        } catch (IOException | IllegalArgumentException e) {
            b = new byte[0];
        }
        String text = new String(b, 0, Math.min(b.length, 300), StandardCharsets.UTF_8).strip();
        return "HTTP " + response.statusCode() + (text.isEmpty() ? "" : ": " + text);
    }

    private static byte[] body(HttpResponse<byte[]> response) throws IOException {
        byte[] raw = response.body();
        String encoding = response.headers().firstValue("Content-Encoding").orElse("");
        if (!encoding.equalsIgnoreCase("gzip")) {
            return raw;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 1 << 16)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, raw.length * 4));
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > MAX_BODY_BYTES) {
                    throw new IllegalArgumentException("answer larger than " + MAX_BODY_BYTES + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "peer " + peer.region() + " at " + peer.url();
    }
}
