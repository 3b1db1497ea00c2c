package io.tally.bench.load;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts queryable points through the Graphite render API ({@code /render?format=json}), as graphite-web, carbonapi
 * and Tally serve it.
 *
 * <p>Sample: the sample series by exact name, several targets per request, counting non-null values. All: one
 * target per name depth, {@code sumSeries(isNonNull(app*.*.*.*.*))}, whose values summed over time are the number
 * of non-null points of every matching series; the {@code app*} first node keeps a server's own metrics out.
 * The window is {@code from = start - 1} (Graphite's {@code from} is exclusive) to {@code until = end}.
 */
final class GraphiteRenderProbe implements QueryableProbe {

    private static final int TARGETS_PER_REQUEST = 25;

    private final HttpText http;
    private final String base;
    private final String window;
    private final String[] sampleNames;
    private final long sampleExpected;
    private final String allUrl;

    GraphiteRenderProbe(HttpText http, String baseUrl, Workload workload, int[] sample) {
        this.http = http;
        this.base = HttpText.trimSlash(baseUrl);
        this.window = "&from=" + (workload.startEpoch() - 1) + "&until=" + workload.endEpoch() + "&format=json";
        this.sampleNames = new String[sample.length];
        for (int i = 0; i < sample.length; i++) {
            sampleNames[i] = workload.name(sample[i]);
        }
        this.sampleExpected = (long) sample.length * workload.points();
        Set<Integer> depths = new TreeSet<>();
        for (int s = 0; s < Math.min(workload.seriesCount(), Workload.METRICS_PER_HOST); s++) {
            depths.add(workload.name(s).split("\\.").length);
        }
        StringBuilder url = new StringBuilder(base).append("/render?");
        for (int depth : depths) {
            url.append("target=").append(HttpText.encode("sumSeries(isNonNull(app*" + ".*".repeat(depth - 1) + "))")).append('&');
        }
        this.allUrl = url.append(window.substring(1)).toString();
    }

    @Override
    public String describe() {
        return "graphite render " + base + " (sample: " + sampleNames.length + " series by name; all: " + allUrl + ")";
    }

    @Override
    public long countSample() throws IOException, InterruptedException {
        long count = 0;
        for (int from = 0; from < sampleNames.length; from += TARGETS_PER_REQUEST) {
            StringBuilder url = new StringBuilder(base).append("/render?");
            for (int i = from; i < Math.min(sampleNames.length, from + TARGETS_PER_REQUEST); i++) {
                url.append("target=").append(HttpText.encode(sampleNames[i])).append('&');
            }
            count += JsonScan.countNonNull(http.get(url.append(window.substring(1)).toString()));
        }
        return count;
    }

    @Override
    public long sampleExpected() {
        return sampleExpected;
    }

    @Override
    public long countAll() throws IOException, InterruptedException {
        return JsonScan.sumValues(http.get(allUrl));
    }
}
