package io.tally.alerting;

import io.tally.alerting.tattle.TattleImporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Imported Tattle checks decide as Tattle's processor did (spec 1.3-1.6), over real stored series: inclusive
 * comparisons with Error tested first, Over and Under, the last point of the moving average, the median of the
 * moving median, the first series only, and no data skipped (the state kept).
 */
class TattleCompatibilityTest {
    @TempDir
    Path dir;
    Rig rig;

    @AfterEach
    void close() throws Exception {
        rig.close();
    }

    AlertDefinition imported(String overUnder, String baseline, String warn, String error) {
        Map<String, String> check = Map.of("check_id", "1", "name", "c", "target", "app.*.v", "error", error,
                "warn", warn, "sample", "5", "baseline", baseline, "over_under", overUnder, "enabled", "1");
        TattleImporter.Result r = TattleImporter.convert(List.of(check), List.of(), TattleImporter.Options.defaults());
        assertThat(r.warnings()).isEmpty();
        return Defs.doc(r.yaml()).get(0);
    }

    /** Twenty minutes of a constant value for app.a.v, and app.b.v far above it (ignored: first series only). */
    State decide(AlertDefinition d, double value) throws Exception {
        rig = new Rig(dir, null, List.of("r1"), List.of(d));
        long t = Rig.T0 / 60 * 60;
        double[] v = new double[20];
        Arrays.fill(v, value);
        rig.store.series("app.a.v", t - 1200, v);
        Arrays.fill(v, 1e6);
        rig.store.series("app.b.v", t - 1200, v);
        rig.step(0);
        return rig.report(d.id(), "r1").state();
    }

    @ParameterizedTest(name = "over {0} -> {1}")
    @CsvSource({"9.99, OK", "10, WARNING", "19.99, WARNING", "20, CRITICAL", "25, CRITICAL"})
    void overIsInclusiveWithErrorFirst(double value, State expected) throws Exception {
        assertThat(decide(imported("0", "average", "10", "20"), value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "under {0} -> {1}")
    @CsvSource({"10.5, OK", "10, WARNING", "5.01, WARNING", "5, CRITICAL", "1, CRITICAL"})
    void underFiresAtOrBelowWarn(double value, State expected) throws Exception {
        assertThat(decide(imported("1", "average", "10", "5"), value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "median of {0}")
    @CsvSource({"'1,1,1,100,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1', OK", "'50,50,50,50,50,50,50,50,50,50,50,50,50,50,50,50,50,50,50,1', CRITICAL"})
    void medianBaselineIgnoresASpike(String values, State expected) throws Exception {
        AlertDefinition d = imported("0", "median", "10", "20");
        rig = new Rig(dir, null, List.of("r1"), List.of(d));
        long t = Rig.T0 / 60 * 60;
        double[] v = Arrays.stream(values.split(",")).mapToDouble(Double::parseDouble).toArray();
        rig.store.series("app.a.v", t - 60L * v.length, v);
        rig.step(0);
        assertThat(rig.report(d.id(), "r1").state()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "no data keeps {0}")
    @CsvSource({"25, CRITICAL", "5, OK"})
    void noDataIsSkippedAndTheStateKept(double value, State expected) throws Exception {
        AlertDefinition d = imported("0", "average", "10", "20");
        assertThat(decide(d, value)).isEqualTo(expected);
        for (int i = 0; i < 30; i++) { // the series stops: 30 minutes without data
            rig.step(60);
        }
        Report r = rig.report(d.id(), "r1");
        assertThat(r.snapshot().raw()).isEqualTo(Evaluation.Kind.NO_DATA);
        assertThat(r.state()).isEqualTo(expected);
    }
}
