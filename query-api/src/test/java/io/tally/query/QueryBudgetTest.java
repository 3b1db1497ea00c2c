package io.tally.query;

import io.tally.engine.api.LimitExceededException;
import io.tally.engine.config.AggregationMethod;
import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryBudgetTest {
    private final ManualClock clock = new ManualClock(1_000);
    private final FakeReader reader = new FakeReader()
            .add("a.x", 990, 10, AggregationMethod.AVERAGE, 1, 2)
            .add("a.y", 990, 10, AggregationMethod.AVERAGE, 3, 4);

    private QueryBudget budget(int maxSeries, long maxPoints) {
        return new QueryBudget(new QueryLimits(maxSeries, maxPoints, 100, Duration.ofSeconds(5), 1), clock);
    }

    @Test
    void readsWhatExistsAndCountsSeriesAndPoints() {
        QueryBudget b = budget(3, 100);
        assertThat(b.read(reader, List.of("a.x", "a.missing", "a.y"), 980, 1010, 1_000))
                .extracting(d -> d.name()).containsExactly("a.x", "a.y");
        assertThat(b.remainingSeries()).isEqualTo(1); // the missing name counted as matched, as graphite-web does
        assertThatThrownBy(() -> b.countSeries(2)).isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("query.max-series");
    }

    @Test
    void pointsOverTheBudgetNameTheSetting() {
        QueryBudget b = budget(10, 5);
        b.read(reader, List.of("a.x"), 980, 1010, 1_000);
        assertThatThrownBy(() -> b.countPoints(10, "datapoints fetched or generated"))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("query.max-points")
                .hasMessageContaining("datapoints fetched or generated");
    }

    @Test
    void timeRunsOutBetweenStorageCalls() {
        QueryBudget b = budget(10, 100);
        b.checkTime();
        clock.advanceSeconds(6);
        assertThatThrownBy(b::checkTime).isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("query.timeout");
        assertThatThrownBy(() -> b.read(reader, List.of("a.x"), 980, 1010, 1_000))
                .isInstanceOf(LimitExceededException.class);
    }
}
