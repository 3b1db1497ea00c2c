package io.tally.query.federation;

import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerTest {
    private final ManualClock clock = new ManualClock(1000);
    private final CircuitBreaker breaker = new CircuitBreaker(clock, 3, 30_000);

    @Test
    void opensAfterConsecutiveFailures() {
        breaker.failure();
        breaker.failure();
        assertThat(breaker.allow()).isTrue();
        breaker.failure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.allow()).isFalse();
    }

    @Test
    void aSuccessResetsTheCount() {
        breaker.failure();
        breaker.failure();
        breaker.success();
        breaker.failure();
        breaker.failure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void probesOnceAfterTheOpenPeriodAndClosesOnSuccess() {
        open();
        clock.advanceSeconds(29);
        assertThat(breaker.allow()).isFalse();
        clock.advanceSeconds(1);
        assertThat(breaker.allow()).isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.allow()).as("only one probe at a time").isFalse();
        breaker.success();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.allow()).isTrue();
    }

    @Test
    void aFailedProbeOpensAgain() {
        open();
        clock.advanceSeconds(30);
        assertThat(breaker.allow()).isTrue();
        breaker.failure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        clock.advanceSeconds(29);
        assertThat(breaker.allow()).isFalse();
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.failure();
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }
}
