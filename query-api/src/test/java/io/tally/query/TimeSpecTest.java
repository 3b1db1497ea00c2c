package io.tally.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeSpecTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    /** Sunday 2026-11-22 05:17:33 UTC. */
    private static final long NOW = LocalDateTime.of(2026, 11, 22, 5, 17, 33).toEpochSecond(ZoneOffset.UTC);

    private static long at(int y, int mo, int d, int h, int mi) {
        return LocalDateTime.of(y, mo, d, h, mi).toEpochSecond(ZoneOffset.UTC);
    }

    private static long parse(String s) {
        return TimeSpec.parse(s, NOW, UTC);
    }

    @Test
    void nowAndEmptyAreNowToTheSecond() {
        assertThat(parse("now")).isEqualTo(NOW);
        assertThat(parse("")).isEqualTo(NOW);
        assertThat(parse(" NOW ")).isEqualTo(NOW);
    }

    @ParameterizedTest
    @CsvSource({
            "-1s, -1", "-10sec, -10", "-2seconds, -2",
            "-5min, -300", "-5minutes, -300", "-5m, -300",
            "-1h, -3600", "-3hours, -10800",
            "-1d, -86400", "-2days, -172800",
            "-1w, -604800", "-2weeks, -1209600",
            "-1mon, -2592000", "-3months, -7776000",
            "-1y, -31536000", "-2years, -63072000",
            "+1h, 3600", "now-1h, -3600", "now+30min, 1800",
            "-1h30min, -5400", "-2d12h, -216000"
    })
    void relativeOffsets(String spec, long delta) {
        assertThat(parse(spec)).isEqualTo(NOW + delta);
    }

    @Test
    void epochSeconds() {
        assertThat(parse("1795320000")).isEqualTo(1795320000L);
        assertThat(parse("0")).isZero();
        assertThat(parse("123")).isEqualTo(123);
    }

    @Test
    void eightDigitsThatLookLikeADateAreMidnightOfThatDay() {
        assertThat(parse("20110501")).isEqualTo(at(2011, 5, 1, 0, 0));
        // 8 digits that cannot be a date (month 13) stay an epoch
        assertThat(parse("20111301")).isEqualTo(20111301L);
        assertThat(parse("18000101")).isEqualTo(18000101L);
    }

    @Test
    void timeOfDayAndDate() {
        assertThat(parse("04:00_20110501")).isEqualTo(at(2011, 5, 1, 4, 0));
        assertThat(parse("23:59_20110501")).isEqualTo(at(2011, 5, 1, 23, 59));
    }

    @Test
    void dayReferences() {
        assertThat(parse("today")).isEqualTo(at(2026, 11, 22, 0, 0));
        assertThat(parse("yesterday")).isEqualTo(at(2026, 11, 21, 0, 0));
        assertThat(parse("tomorrow")).isEqualTo(at(2026, 11, 23, 0, 0));
        assertThat(parse("yesterday-1h")).isEqualTo(at(2026, 11, 20, 23, 0));
    }

    @Test
    void namedTimesOfDay() {
        assertThat(parse("noon")).isEqualTo(at(2026, 11, 22, 12, 0));
        assertThat(parse("midnight")).isEqualTo(at(2026, 11, 22, 0, 0));
        assertThat(parse("teatime")).isEqualTo(at(2026, 11, 22, 16, 0));
        // '+' in a URL decodes to a space, which normalisation removes
        assertThat(parse("noon yesterday")).isEqualTo(at(2026, 11, 21, 12, 0));
        assertThat(parse("noon_tomorrow")).isEqualTo(at(2026, 11, 23, 12, 0));
    }

    @Test
    void clockTimesWithAndWithoutAmPm() {
        assertThat(parse("9:30")).isEqualTo(at(2026, 11, 22, 9, 30));
        assertThat(parse("17:05")).isEqualTo(at(2026, 11, 22, 17, 5));
        assertThat(parse("9:30am")).isEqualTo(at(2026, 11, 22, 9, 30));
        assertThat(parse("9:30pm")).isEqualTo(at(2026, 11, 22, 21, 30));
        assertThat(parse("8am")).isEqualTo(at(2026, 11, 22, 8, 0));
        assertThat(parse("11pm")).isEqualTo(at(2026, 11, 22, 23, 0));
        assertThat(parse("12am")).isEqualTo(at(2026, 11, 22, 0, 0));
        assertThat(parse("12pm")).isEqualTo(at(2026, 11, 22, 12, 0));
        assertThat(parse("3pm yesterday")).isEqualTo(at(2026, 11, 21, 15, 0));
        assertThat(parse("9:00yesterday")).isEqualTo(at(2026, 11, 21, 9, 0));
    }

    @Test
    void slashDates() {
        assertThat(parse("05/01/2011")).isEqualTo(at(2011, 5, 1, 0, 0));
        assertThat(parse("5/1/11")).isEqualTo(at(2011, 5, 1, 0, 0));
        assertThat(parse("12/31/99")).isEqualTo(at(1999, 12, 31, 0, 0));
        assertThat(parse("10:15_05/01/2011")).isEqualTo(at(2011, 5, 1, 10, 15));
    }

    @Test
    void monthNamesWithDay() {
        assertThat(parse("jan1")).isEqualTo(at(2026, 1, 1, 0, 0));
        assertThat(parse("January 15")).isEqualTo(at(2026, 1, 15, 0, 0));
        assertThat(parse("feb28")).isEqualTo(at(2026, 2, 28, 0, 0));
        assertThat(parse("noon dec 24")).isEqualTo(at(2026, 12, 24, 12, 0));
    }

    @Test
    void weekdayNamesMeanTheMostRecentSuchDayIncludingToday() {
        // NOW is a Sunday
        assertThat(parse("sunday")).isEqualTo(at(2026, 11, 22, 0, 0));
        assertThat(parse("sat")).isEqualTo(at(2026, 11, 21, 0, 0));
        assertThat(parse("monday")).isEqualTo(at(2026, 11, 16, 0, 0));
        assertThat(parse("fri")).isEqualTo(at(2026, 11, 20, 0, 0));
    }

    @Test
    void referenceInAZoneIsWallClockThere() {
        ZoneId ny = ZoneId.of("America/New_York");
        // midnight in New York is 05:00 UTC in November (EST)
        assertThat(TimeSpec.parse("today", NOW, ny)).isEqualTo(at(2026, 11, 22, 5, 0));
        // 00:17 UTC on Nov 22 is still Nov 21 in New York
        assertThat(TimeSpec.parse("today", at(2026, 11, 22, 0, 17), ny)).isEqualTo(at(2026, 11, 21, 5, 0));
        // summer: EDT
        assertThat(TimeSpec.parse("20260701", NOW, ny)).isEqualTo(at(2026, 7, 1, 4, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "1h", "-1", "-h", "-5ms", "-1.5h", "jan", "march", "25:00", "13pm",
            "02/30/2020", "noon-", "-1x"})
    void invalidSpecsAreRejectedWithAMessage(String spec) {
        assertThatThrownBy(() -> parse(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void messagesFollowGraphiteWording() {
        assertThatThrownBy(() -> parse("garbage")).hasMessage("Unknown day reference: garbage");
        assertThatThrownBy(() -> parse("-1x")).hasMessageContaining("Invalid offset unit 'x'");
    }
}
