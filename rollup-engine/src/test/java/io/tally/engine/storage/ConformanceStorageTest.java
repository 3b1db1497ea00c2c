package io.tally.engine.storage;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.PointBatch;
import io.tally.engine.api.SeriesData;
import io.tally.engine.config.StorageAggregation;
import io.tally.engine.config.StorageSchemas;
import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds the conformance data set (../shared/conformance/gen_dataset.py, with the same storage-schemas.conf and
 * storage-aggregation.conf) into the engine at the recorded time and checks every plain-path render of the
 * golden answers (no functions, no maxDataPoints) point by point: what whisper held is what Tally holds.
 */
class ConformanceStorageTest {
    @TempDir
    Path dir;

    static Path conformanceDir() {
        Path shared = Path.of(System.getProperty("tally.shared", "../shared"));
        return shared.resolve("conformance");
    }

    @Test
    void storedArchivesMatchGraphiteWeb() throws Exception {
        Path conf = conformanceDir();
        Assumptions.assumeTrue(Files.isRegularFile(conf.resolve("gen_dataset.py")),
                "shared/conformance not found beside the repository");
        Assumptions.assumeTrue(python3Runs(), "python3 is needed to generate the conformance data set");
        String manifest = Files.readString(conf.resolve("manifest.json"));
        long t = Long.parseLong(manifest.replaceAll("(?s).*\"T\":\\s*(\\d+).*", "$1"));
        long recordedAfter = Long.parseLong(
                manifest.replaceAll("(?s).*\"golden_recorded_seconds_after_T\":\\s*(\\d+).*", "$1"));
        ManualClock clock = new ManualClock(t + 30);
        EngineOptions opts = EngineOptions.builder(dir)
                .schemas(StorageSchemas.load(conf.resolve("storage-schemas.conf")))
                .aggregation(StorageAggregation.load(conf.resolve("storage-aggregation.conf")))
                .clock(clock).metrics(new MetricsRegistry()).shards(2).build();
        try (Engine e = Engine.open(opts)) {
            long sent = feed(e, conf, t);
            assertThat(sent).isGreaterThan(900_000);
            e.barrier();
            clock.setSeconds(t + recordedAfter);
            e.checkpoint(false);
            List<String> failures = new ArrayList<>();
            int checked = compare(e, conf, t + recordedAfter, failures);
            assertThat(failures).as("mismatches").isEmpty();
            assertThat(checked).isGreaterThanOrEqualTo(20);
        }
    }

    private static boolean python3Runs() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long feed(Engine e, Path conf, long t) throws Exception {
        Process p = new ProcessBuilder("python3", conf.resolve("gen_dataset.py").toString(), "--T", Long.toString(t))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long n = 0;
        PointBatch b = e.newBatch();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length != 3) {
                    continue;
                }
                String name = f[0].contains(";") ? io.tally.engine.name.MetricName.canonicalize(f[0]) : f[0];
                if (!b.hasRoom(name.length() * 3)) {
                    if (!e.offer(b)) {
                        e.barrier();
                    }
                    b = e.newBatch();
                }
                b.add(name, (long) Double.parseDouble(f[2]), Double.parseDouble(f[1]));
                n++;
            }
        }
        e.offer(b);
        assertThat(p.waitFor()).isZero();
        return n;
    }

    private static int compare(Engine e, Path conf, long now, List<String> failures) throws Exception {
        Path script = Path.of(ConformanceStorageTest.class.getResource("/conformance_flatten.py").toURI());
        Process p = new ProcessBuilder("python3", script.toString(), conf.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            lines = r.lines().toList();
        }
        assertThat(p.waitFor()).isZero();
        int queries = 0;
        int i = 0;
        while (i < lines.size()) {
            String[] q = lines.get(i++).split("\t");
            String id = q[1];
            long from = Long.parseLong(q[2]);
            long until = Long.parseLong(q[3]);
            if (from > until) { // graphite-web swaps a reversed window
                long x = from;
                from = until;
                until = x;
            }
            List<SeriesData> got = new ArrayList<>();
            for (int k = 4; k < q.length; k++) {
                List<String> leaves = new ArrayList<>();
                for (FindNode n : e.find(q[k], 10_000)) {
                    if (n.leaf()) {
                        leaves.add(n.path());
                    }
                }
                leaves.sort(null);
                for (String leaf : leaves) {
                    SeriesData d = e.fetch(leaf, from, until, now);
                    if (d != null) {
                        got.add(d);
                    }
                }
            }
            List<String> want = new ArrayList<>();
            while (i < lines.size() && !lines.get(i).startsWith("Q\t")) {
                want.add(lines.get(i++));
            }
            queries++;
            String diff = diff(got, want);
            if (diff != null) {
                failures.add(id + ": " + diff);
            }
        }
        return queries;
    }

    private static String diff(List<SeriesData> got, List<String> want) {
        int si = -1;
        int pi = 0;
        for (String w : want) {
            String[] f = w.split("\t");
            if (f[0].equals("S")) {
                if (pi != 0 && si >= 0 && pi != got.get(si).values().length) {
                    return got.get(si).name() + " has " + got.get(si).values().length + " points, want " + pi;
                }
                si++;
                pi = 0;
                if (si >= got.size()) {
                    return "missing series " + f[1];
                }
                if (!got.get(si).name().equals(f[1])) {
                    return "series " + si + " is " + got.get(si).name() + ", want " + f[1];
                }
                continue;
            }
            SeriesData d = got.get(si);
            if (pi >= d.values().length) {
                return d.name() + ": too few points";
            }
            long ts = d.start() + pi * d.step();
            if (ts != Long.parseLong(f[1])) {
                return d.name() + " point " + pi + " at " + ts + ", want " + f[1];
            }
            double v = d.values()[pi];
            if (f[2].equals("null") ? !Double.isNaN(v)
                    : Math.abs(v - Double.parseDouble(f[2])) > 1e-9 * Math.max(1, Math.abs(v))) {
                return d.name() + " at " + ts + " is " + v + ", want " + f[2];
            }
            pi++;
        }
        if (si + 1 != got.size()) {
            return "got " + got.size() + " series, want " + (si + 1);
        }
        return null;
    }
}
