package io.tally.engine.config;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retention grammar (spec §2.2) and whisper's archive list rules (spec §2.3). */
class RetentionsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "10s:6h      | 10   | 2160",
            "1m:7d       | 60   | 10080",
            "60:1440     | 60   | 1440",
            "60:90d      | 60   | 129600",
            "60s:1d      | 60   | 1440",
            "5m:30d      | 300  | 8640",
            "1h:3y       | 3600 | 26280",
            "1h:2y       | 3600 | 17520",
            "1d:1w       | 86400| 7",
            "1y:2y       | 31536000 | 2",
            "7s:1m       | 7    | 8",
            "45:1h       | 45   | 80",
            "\" 60s : 1d \"| 60   | 1440",
    })
    void parsesCarbonRetentionExamples(String text, int secondsPerPoint, int points) throws ConfigException {
        assertThat(StorageSchemas.parseRetentions(text)).containsExactly(new Archive(secondsPerPoint, points));
    }

    @Test
    void parsesAListInWrittenOrder() throws ConfigException {
        assertThat(StorageSchemas.parseRetentions("60s:1d,5m:30d,1h:3y")).containsExactly(
                new Archive(60, 1440), new Archive(300, 8640), new Archive(3600, 26280));
        assertThat(StorageSchemas.parseRetentions("1h:3y, 60s:1d")).containsExactly(
                new Archive(3600, 26280), new Archive(60, 1440));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "60s:1x    | '60s:1x' unknown unit 'x' (use s, m, h, d, w or y)",
            "1min:1d   | '1min:1d' unknown unit 'min' (use s, m, h, d, w or y)",
            "60s:1hour | '60s:1hour' unknown unit 'hour' (use s, m, h, d, w or y)",
            "60s:1M    | '60s:1M' unknown unit 'M' (use s, m, h, d, w or y)",
            "60s:1mo   | '60s:1mo' unknown unit 'mo' (use s, m, h, d, w or y)",
            "60s       | '60s' is not precision:duration (e.g. 60s:1d or 60:1440)",
            "x:1d      | 'x:1d' precision 'x' is not a number or <number><unit> (e.g. 60, 60s, 1m, 7d)",
            "60s:-1    | '60s:-1' duration '-1' is not a number or <number><unit> (e.g. 60, 60s, 1m, 7d)",
            "60s:1.5d  | '60s:1.5d' duration '1.5d' is not a number or <number><unit> (e.g. 60, 60s, 1m, 7d)",
            "0:1d      | '0:1d' precision must be at least 1 second",
            "0s:100    | '0s:100' precision must be at least 1 second",
            "1h:30m    | '1h:30m' keeps no point: the duration is shorter than the precision",
            "60:0      | '60:0' must keep at least 1 point",
            "60:99999999999 | '60:99999999999' keeps too many points (at most 2147483647)",
            "99999999999:1 | '99999999999:1' precision is too large",
            "60:99999999999999999999 | '60:99999999999999999999' number too large",
    })
    void rejectsBadTokensWithAClearMessage(String text, String message) {
        assertThatThrownBy(() -> StorageSchemas.parseRetentions(text))
                .isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void rejectsEmptyTokens() {
        assertThatThrownBy(() -> StorageSchemas.parseRetentions(""))
                .hasMessageContaining("has an empty retention");
        assertThatThrownBy(() -> StorageSchemas.parseRetentions("60s:1d,"))
                .hasMessage("'60s:1d,' has an empty retention (write precision:duration, e.g. 60s:1d, separated by"
                        + " commas)");
    }

    @RepeatedTest(50)
    void archiveToStringReadsBackEqual(RepetitionInfo info) throws ConfigException {
        Random r = new Random(info.getCurrentRepetition());
        int[] units = {1, 60, 3600, 86400, 7 * 86400};
        int spp = r.nextInt(5) == 0 ? units[r.nextInt(units.length)] : 1 + r.nextInt(7200);
        int points = 1 + r.nextInt(200_000);
        Archive a = new Archive(spp, points);
        assertThat(StorageSchemas.parseRetentions(a.toString())).containsExactly(a);
    }

    @Test
    void formatsWithTheLargestExactUnit() {
        assertThat(new Archive(60, 10080)).hasToString("1m:1w");
        assertThat(new Archive(10, 2160)).hasToString("10s:6h");
        assertThat(new Archive(3600, 26280)).hasToString("1h:3y");
        assertThat(new Archive(7, 8)).hasToString("7s:56s");
        assertThat(new Archive(60, 10080).retentionSeconds()).isEqualTo(604800L);
    }

    @Test
    void acceptsValidArchiveLists() throws ConfigException {
        StorageSchemas.validate(List.of(new Archive(60, 1440)));
        StorageSchemas.validate(StorageSchemas.parseRetentions("10s:1d,1m:30d,1h:2y"));
        StorageSchemas.validate(StorageSchemas.parseRetentions("1h:2y,10s:1d,1m:30d"));
        StorageSchemas.validate(StorageSchemas.parseRetentions("60s:5,5m:1d"));
    }

    @Test
    void requiresAtLeastOneArchive() {
        assertThatThrownBy(() -> StorageSchemas.validate(List.of()))
                .hasMessage("no archive: at least one precision:duration is required");
    }

    @Test
    void rejectsTwoArchivesWithTheSamePrecision() {
        assertThatThrownBy(() -> StorageSchemas.validate(StorageSchemas.parseRetentions("60s:1d,1m:7d")))
                .hasMessage("archives 1m:1d and 1m:1w have the same precision 1m (each archive needs its own"
                        + " precision)");
    }

    @Test
    void requiresEachPrecisionToDivideTheNext() {
        assertThatThrownBy(() -> StorageSchemas.validate(StorageSchemas.parseRetentions("180s:1d,300s:7d")))
                .hasMessage("precision 3m of 3m:1d does not divide precision 5m of 5m:1w (each coarser precision"
                        + " must be a multiple of the finer one)");
    }

    @Test
    void requiresCoarserArchivesToCoverStrictlyMoreTime() {
        assertThatThrownBy(() -> StorageSchemas.validate(StorageSchemas.parseRetentions("1m:1d,5m:1d")))
                .hasMessage("archive 5m:1d covers 86400 s, not more than the 86400 s of 1m:1d (each coarser"
                        + " archive must cover strictly more time)");
        assertThatThrownBy(() -> StorageSchemas.validate(StorageSchemas.parseRetentions("1m:7d,5m:1d")))
                .hasMessageContaining("archive 5m:1d covers 86400 s, not more than the 604800 s of 1m:1w");
    }

    @Test
    void requiresEnoughPointsToFillOneCoarserPoint() {
        assertThatThrownBy(() -> StorageSchemas.validate(StorageSchemas.parseRetentions("60s:3,5m:1d")))
                .hasMessage("archive 1m:3m keeps 3 points, fewer than the 5 that make up one 5m point of 5m:1d"
                        + " (keep at least 5 points)");
    }

    @Test
    void validatesInPrecisionOrder() {
        assertThatThrownBy(() -> StorageSchemas.validate(StorageSchemas.parseRetentions("5m:30d,3m:1d")))
                .hasMessageContaining("precision 3m of 3m:1d does not divide precision 5m of 5m:30d");
    }

    @Test
    void archiveRejectsNonPositiveFields() {
        assertThatThrownBy(() -> new Archive(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Archive(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
