package io.tally.query;

import io.tally.engine.api.LimitExceededException;
import io.tally.engine.api.SeriesData;
import io.tally.engine.config.AggregationMethod;
import io.tally.engine.util.Clock;
import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RendererTest {
    private final FakeReader reader = new FakeReader()
            .add("a.x", 100, 10, AggregationMethod.AVERAGE, 1, 2, 3)
            .add("a.y", 100, 10, AggregationMethod.AVERAGE, 4, 5, 6)
            .add("a.y.z", 100, 10, AggregationMethod.AVERAGE, 7);

    private static RenderRequest request(String... targets) {
        return new RenderRequest(List.of(targets), 99, 120, 1000, 0, false, 0, false, null);
    }

    @Test
    void fetchesLeavesOfEachTargetInOrderWithWhisperWindows() {
        List<SeriesData> out = new Renderer(reader, QueryLimits.defaults(), new ManualClock(1000))
                .fetch(request("a.*", "a.x"));
        assertThat(out).extracting(SeriesData::name).containsExactly("a.x", "a.y", "a.x");
        SeriesData x = out.get(0);
        assertThat(x.start()).isEqualTo(100);
        assertThat(x.end()).isEqualTo(130);
        assertThat(x.values()).containsExactly(1, 2, 3);
    }

    @Test
    void limitsNameTheirSettings() {
        QueryLimits tight = new QueryLimits(1, 1000, 100, Duration.ofSeconds(10), 1);
        assertThatThrownBy(() -> new Renderer(reader, tight, new ManualClock(1000)).fetch(request("a.*")))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("query.max-series");
        QueryLimits fewPoints = new QueryLimits(10, 4, 100, Duration.ofSeconds(10), 1);
        assertThatThrownBy(() -> new Renderer(reader, fewPoints, new ManualClock(1000)).fetch(request("a.*")))
                .hasMessageContaining("query.max-points");
        QueryLimits fewNodes = new QueryLimits(10, 1000, 1, Duration.ofSeconds(10), 1);
        assertThatThrownBy(() -> new Renderer(reader, fewNodes, new ManualClock(1000)).fetch(request("a.*")))
                .hasMessageContaining("query.max-find-results");
    }

    @Test
    void theTimeoutIsCheckedBetweenStorageCalls() {
        AtomicLong millis = new AtomicLong();
        Clock slow = () -> millis.getAndAdd(1500); // every look at the clock costs 1.5 s
        QueryLimits limits = new QueryLimits(10, 1000, 100, Duration.ofSeconds(2), 1);
        assertThatThrownBy(() -> new Renderer(reader, limits, slow).fetch(request("a.*")))
                .isInstanceOf(LimitExceededException.class)
                .hasMessage("query time in milliseconds exceeds the limit of 2000 (raise it with query.timeout)");
    }

    @Test
    void missingSeriesAreSkipped() {
        assertThat(new Renderer(reader, QueryLimits.defaults(), new ManualClock(1)).fetch(request("nope", "a.q*")))
                .isEmpty();
    }
}
