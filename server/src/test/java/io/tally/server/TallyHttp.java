package io.tally.server;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** Test helper: Tally's Graphite HTTP API on 127.0.0.1 over real HTTP, with the JSON answers parsed. */
final class TallyHttp {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One HTTP answer. */
    record Answer(int status, String body) {
    }

    /** One rendered series: its target name, its tags and its non-null points (timestamp to value). */
    record Series(String target, Map<String, String> tags, NavigableMap<Long, Double> points) {
        Double last() {
            return points.isEmpty() ? null : points.lastEntry().getValue();
        }
    }

    /** One {@code /metrics/find} node. */
    record Node(String id, boolean leaf) {
    }

    private final int port;

    TallyHttp(int port) {
        this.port = port;
    }

    int port() {
        return port;
    }

    Answer get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> a = CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
        return new Answer(a.statusCode(), a.body());
    }

    /** {@code /render?format=json} of {@code targets} between {@code from} and {@code until} (null: now). */
    Map<String, Series> render(String from, String until, String... targets) throws IOException,
            InterruptedException {
        StringBuilder q = new StringBuilder("/render?format=json&from=").append(enc(from));
        if (until != null) {
            q.append("&until=").append(enc(until));
        }
        for (String t : targets) {
            q.append("&target=").append(enc(t));
        }
        Answer a = get(q.toString());
        if (a.status() != 200) {
            throw new IOException("render answered " + a.status() + ": " + a.body());
        }
        Map<String, Series> out = new LinkedHashMap<>();
        for (JsonNode s : JSON.readTree(a.body())) {
            Map<String, String> tags = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : s.get("tags").properties()) {
                tags.put(e.getKey(), e.getValue().asString());
            }
            NavigableMap<Long, Double> points = new TreeMap<>();
            for (JsonNode pair : s.get("datapoints")) {
                if (!pair.get(0).isNull()) {
                    points.put(pair.get(1).asLong(), pair.get(0).asDouble());
                }
            }
            String target = s.get("target").asString();
            out.put(target, new Series(target, tags, points));
        }
        return out;
    }

    /** The last non-null value of every series the targets match over the last ten minutes. */
    Map<String, Double> latest(String... targets) throws IOException, InterruptedException {
        Map<String, Double> out = new TreeMap<>();
        for (Series s : render("-10min", null, targets).values()) {
            if (s.last() != null) {
                out.put(s.target(), s.last());
            }
        }
        return out;
    }

    /** {@code /metrics/find} (treejson) of {@code query}. */
    List<Node> find(String query) throws IOException, InterruptedException {
        Answer a = get("/metrics/find?query=" + enc(query));
        if (a.status() != 200) {
            throw new IOException("find answered " + a.status() + ": " + a.body());
        }
        List<Node> out = new ArrayList<>();
        for (JsonNode n : JSON.readTree(a.body())) {
            out.add(new Node(n.get("id").asString(), n.get("leaf").asInt() == 1));
        }
        return out;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
