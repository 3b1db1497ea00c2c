package io.tally.query;

import io.tally.engine.api.LimitExceededException;
import io.tally.engine.config.AggregationMethod;
import io.tally.engine.util.Clock;
import io.tally.engine.util.ManualClock;
import io.tally.query.expr.Series;
import io.tally.query.functions.FunctionRegistry;
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
        return RenderRequest.of(List.of(targets), 99, 120, 1000, 0, 0);
    }

    private Renderer renderer(QueryLimits limits, Clock clock) {
        return new Renderer(reader, limits, clock, FunctionRegistry.standard());
    }

    @Test
    void fetchesLeavesOfEachTargetInOrderWithWhisperWindows() {
        List<Series> out = renderer(QueryLimits.defaults(), new ManualClock(1000)).render(request("a.*", "a.x"));
        assertThat(out).extracting(Series::name).containsExactly("a.x", "a.y", "a.x");
        Series x = out.get(0);
        assertThat(x.start()).isEqualTo(100);
        assertThat(x.end()).isEqualTo(130);
        assertThat(x.values()).containsExactly(1, 2, 3);
    }

    @Test
    void limitsNameTheirSettings() {
        QueryLimits tight = new QueryLimits(1, 1000, 100, Duration.ofSeconds(10), 1);
        assertThatThrownBy(() -> renderer(tight, new ManualClock(1000)).render(request("a.*")))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("query.max-series");
        QueryLimits fewPoints = new QueryLimits(10, 4, 100, Duration.ofSeconds(10), 1);
        assertThatThrownBy(() -> renderer(fewPoints, new ManualClock(1000)).render(request("a.*")))
                .hasMessageContaining("query.max-points");
        QueryLimits fewNodes = new QueryLimits(10, 1000, 1, Duration.ofSeconds(10), 1);
        assertThatThrownBy(() -> renderer(fewNodes, new ManualClock(1000)).render(request("a.*")))
                .hasMessageContaining("query.max-find-results");
    }

    @Test
    void theTimeoutIsCheckedBetweenStorageCalls() {
        AtomicLong millis = new AtomicLong();
        Clock slow = () -> millis.getAndAdd(1500); // every look at the clock costs 1.5 s
        QueryLimits limits = new QueryLimits(10, 1000, 100, Duration.ofSeconds(2), 1);
        assertThatThrownBy(() -> renderer(limits, slow).render(request("a.*")))
                .isInstanceOf(LimitExceededException.class)
                .hasMessage("query time in milliseconds exceeds the limit of 2000 (raise it with query.timeout)");
    }

    @Test
    void anAggregateThatFallsBackFromStreamingCountsItsSeriesOnce() {
        reader.add("b.x", 100, 10, AggregationMethod.AVERAGE, 1, 2, 3)
                .add("b.y", 90, 30, AggregationMethod.AVERAGE, 4);
        QueryLimits two = new QueryLimits(2, 1000, 100, Duration.ofSeconds(10), 1);
        // a.*: streamed. b.*: two steps, so read, given back to the budget, and fetched whole for normalisation
        assertThat(renderer(two, new ManualClock(1000)).render(request("sumSeries(a.*)")).get(0).values())
                .containsExactly(5, 7, 9);
        Series b = renderer(two, new ManualClock(1000)).render(request("sumSeries(b.*)")).get(0);
        assertThat(b.step()).isEqualTo(30);
        assertThat(b.name()).isEqualTo("sumSeries(b.*)");
        assertThatThrownBy(() -> renderer(two, new ManualClock(1000)).render(request("sumSeries(a.*, b.x)")))
                .hasMessageContaining("query.max-series");
    }

    @Test
    void missingSeriesAreSkipped() {
        assertThat(renderer(QueryLimits.defaults(), new ManualClock(1)).render(request("nope", "a.q*")))
                .isEmpty();
    }
}
