package io.tally.query;

import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class RenderCacheTest {
    private final ManualClock clock = new ManualClock(10_000);

    private static RenderRequest req(String... kv) {
        Params p = new Params().add("target", "a.b").add("format", "json");
        for (int i = 0; i < kv.length; i += 2) {
            p.add(kv[i], kv[i + 1]);
        }
        return RenderRequest.parse(p, 10_000, ZoneOffset.UTC);
    }

    private static Body body(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new Body("application/json", b, b.length);
    }

    @Test
    void nothingIsCachedWithoutATimeout() {
        RenderCache c = new RenderCache(clock, 0, 1 << 20);
        RenderRequest r = req();
        c.put(r, body("[]"));
        assertThat(c.get(r)).isNull();
        assertThat(c.size()).isZero();
    }

    @Test
    void cacheTimeoutParameterKeepsTheAnswerForThatLong() {
        RenderCache c = new RenderCache(clock, 0, 1 << 20);
        RenderRequest r = req("cacheTimeout", "30");
        c.put(r, body("[1]"));
        clock.advanceSeconds(29);
        RenderCache.Hit hit = c.get(r);
        assertThat(hit).isNotNull();
        assertThat(c.remainingSeconds(hit)).isEqualTo(1);
        clock.advanceSeconds(1);
        assertThat(c.get(r)).isNull();
    }

    @Test
    void serverDefaultAppliesAndNoCacheBypasses() {
        RenderCache c = new RenderCache(clock, 60, 1 << 20);
        RenderRequest plain = req();
        c.put(plain, body("[2]"));
        assertThat(c.get(plain)).isNotNull();
        RenderRequest bypass = req("noCache", "1");
        assertThat(c.timeoutFor(bypass)).isZero();
        assertThat(c.get(bypass)).isNull();
        assertThat(c.timeoutFor(req("cacheTimeout", "0"))).isZero();
    }

    @Test
    void keyIsTheResolvedRequest() {
        RenderCache c = new RenderCache(clock, 60, 1 << 20);
        c.put(req("from", "-1h", "until", "now"), body("[3]"));
        // the same absolute window spelled in epoch seconds hits; another window or format does not
        assertThat(c.get(req("from", "6400", "until", "10000"))).isNotNull();
        assertThat(c.get(req("from", "6401", "until", "10000"))).isNull();
        assertThat(c.get(req("from", "-1h", "until", "now", "maxDataPoints", "10"))).isNull();
        assertThat(c.get(req("from", "-1h", "until", "now", "pretty", "1"))).isNull();
        Params csv = new Params().add("target", "a.b").add("format", "csv").add("from", "-1h");
        assertThat(c.get(RenderRequest.parse(csv, 10_000, ZoneOffset.UTC))).isNull();
    }

    @Test
    void boundedByBytes() {
        RenderCache c = new RenderCache(clock, 60, 64 << 10);
        for (int i = 0; i < 100; i++) {
            c.put(req("from", Integer.toString(i)), body("x".repeat(4096)));
        }
        assertThat(c.weightedBytes()).isLessThanOrEqualTo(64 << 10);
        assertThat(c.size()).isBetween(1L, 16L);
    }

    @Test
    void cachedBodiesDropSpareCapacity() {
        RenderCache c = new RenderCache(clock, 60, 1 << 20);
        RenderRequest r = req();
        c.put(r, new Body("text/plain", new byte[1000], 3));
        assertThat(c.get(r).body().bytes()).hasSize(3);
    }
}
