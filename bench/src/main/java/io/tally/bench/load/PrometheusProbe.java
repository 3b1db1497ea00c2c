package io.tally.bench.load;

import java.io.IOException;

/**
 * Counts queryable points through a Prometheus-style instant query ({@code /api/v1/query}), for VictoriaMetrics,
 * which stores a Graphite line under {@code __name__} = the dotted name and (in the Debian version) has no
 * Graphite render API.
 *
 * <p>Query: {@code sum(count_over_time({__name__=~"..."}[W]))} at {@code time = end}, with {@code W} one step longer
 * than the data, so the window covers every point; {@code nocache=1} keeps the response cache out of it.
 */
final class PrometheusProbe implements QueryableProbe {

    private final HttpText http;
    private final String base;
    private final String sampleUrl;
    private final String allUrl;
    private final long sampleExpected;

    PrometheusProbe(HttpText http, String baseUrl, Workload workload, int[] sample) {
        this.http = http;
        this.base = HttpText.trimSlash(baseUrl);
        long windowSeconds = (long) (workload.points() + 1) * workload.stepSeconds();
        StringBuilder regex = new StringBuilder();
        for (int s : sample) {
            if (!regex.isEmpty()) {
                regex.append('|');
            }
            // Inside a PromQL string a regex escape needs its backslash doubled.
            regex.append(workload.name(s).replace(".", "\\\\."));
        }
        this.sampleUrl = url(regex.toString(), windowSeconds, workload.endEpoch());
        this.allUrl = url("app.*", windowSeconds, workload.endEpoch());
        this.sampleExpected = (long) sample.length * workload.points();
    }

    private String url(String nameRegex, long windowSeconds, long time) {
        String query = "sum(count_over_time({__name__=~\"" + nameRegex + "\"}[" + windowSeconds + "s]))";
        return base + "/api/v1/query?nocache=1&time=" + time + "&query=" + HttpText.encode(query);
    }

    @Override
    public String describe() {
        return "prometheus query " + base + " (all: sum(count_over_time({__name__=~\"app.*\"}[window])))";
    }

    @Override
    public long countSample() throws IOException, InterruptedException {
        return JsonScan.prometheusValue(http.get(sampleUrl));
    }

    @Override
    public long sampleExpected() {
        return sampleExpected;
    }

    @Override
    public long countAll() throws IOException, InterruptedException {
        return JsonScan.prometheusValue(http.get(allUrl));
    }
}
