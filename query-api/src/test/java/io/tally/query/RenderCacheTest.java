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
    void absoluteTimesAreKeyedByTheInstantTheyName() {
        RenderCache c = new RenderCache(clock, 60, 1 << 20);
        c.put(req("from", "3600", "until", "10000"), body("[3]"));
        assertThat(c.get(req("from", "01:00_19700101", "until", "10000"))).isNotNull();
        assertThat(c.get(req("from", "3601", "until", "10000"))).isNull();
        assertThat(c.get(req("from", "3600", "until", "10000", "maxDataPoints", "10"))).isNull();
        assertThat(c.get(req("from", "3600", "until", "10000", "pretty", "1"))).isNull();
        Params csv = new Params().add("target", "a.b").add("format", "csv").add("from", "3600").add("until", "10000");
        assertThat(c.get(RenderRequest.parse(csv, 10_000, ZoneOffset.UTC))).isNull();
    }

    @Test
    void relativeWindowRefreshedWithinTheTimeoutHits() {
        RenderCache c = new RenderCache(clock, 60, 1 << 20);
        c.put(req("from", "-1h", "until", "now"), body("[4]"));
        Params later = new Params().add("target", "a.b").add("format", "json").add("from", "-1h").add("until", "now");
        clock.advanceSeconds(15);
        assertThat(c.get(RenderRequest.parse(later, 10_015, ZoneOffset.UTC))).isNotNull();
        assertThat(c.get(req("from", "-2h", "until", "now"))).isNull();
        assertThat(c.get(req("from", "6400", "until", "10000"))).as("relative and absolute stay apart").isNull();
        clock.advanceSeconds(45);
        assertThat(c.get(RenderRequest.parse(later, 10_060, ZoneOffset.UTC))).isNull();
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
