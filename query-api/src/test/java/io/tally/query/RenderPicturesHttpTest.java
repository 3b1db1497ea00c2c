package io.tally.query;

import io.tally.engine.config.AggregationMethod;
import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /render?format=png|svg} through a real {@link QueryServer}: content types, sizes, 400s, the cache. */
class RenderPicturesHttpTest {
    private static final long NOW = 2000;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static QueryServer server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        FakeReader reader = new FakeReader()
                .add("a.b", 990, 10, AggregationMethod.AVERAGE, 1.5, Double.NaN, 3, 4, 2)
                .add("a.c", 990, 10, AggregationMethod.AVERAGE, 5, 6, 7, 8, 9);
        server = QueryServer.start(reader, new ManualClock(NOW), QueryLimits.defaults(),
                new GraphiteHttpServer.Settings("127.0.0.1", 0, "r", ZoneOffset.UTC, 1 << 20, "", null, 0,
                        1 << 20), new MetricsRegistry());
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<byte[]> get(String q) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + q)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static BufferedImage image(HttpResponse<byte[]> r) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(r.body()));
    }

    @Test
    void pngIsTheDefaultFormat() throws Exception {
        HttpResponse<byte[]> r = get("/render?target=a.*&from=989&until=1040&width=400&height=200");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
        BufferedImage img = image(r);
        assertThat(img.getWidth()).isEqualTo(400);
        assertThat(img.getHeight()).isEqualTo(200);
    }

    @Test
    void svgIsXml() throws Exception {
        HttpResponse<byte[]> r = get("/render?format=svg&from=989&until=1040&title=" + enc("<b>&")
                + "&target=" + enc("alias(a.b, '<script>x</script>&')"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(text(r)).doesNotContain("<script>").doesNotContain("<b>");
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(r.body()));
        assertThat(doc.getDocumentElement().getTextContent()).contains("<script>x</script>&", "<b>&");
    }

    @Test
    void badPictureParametersAre400NamingThem() throws Exception {
        HttpResponse<byte[]> width = get("/render?format=png&target=a.b&width=abc");
        assertThat(width.statusCode()).isEqualTo(400);
        assertThat(text(width)).contains("width");
        HttpResponse<byte[]> mode = get("/render?format=svg&target=a.b&lineMode=zigzag");
        assertThat(mode.statusCode()).isEqualTo(400);
        assertThat(text(mode)).contains("lineMode");
        HttpResponse<byte[]> huge = get("/render?format=png&target=a.b&width=100000&height=100000");
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(text(huge)).contains("width");
        // json ignores picture parameters, as graphite-web does
        assertThat(get("/render?format=json&target=a.b&width=abc").statusCode()).isEqualTo(200);
    }

    @Test
    void aBadColourOnlyFailsPictures() throws Exception {
        String target = "&from=989&until=1040&target=" + enc("color(a.b, 'nonsense')");
        HttpResponse<byte[]> png = get("/render?format=png" + target);
        assertThat(png.statusCode()).isEqualTo(400);
        assertThat(text(png)).contains("nonsense");
        HttpResponse<byte[]> json = get("/render?format=json" + target);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(text(json)).contains("\"target\": \"a.b\"").contains("[1.5, 990]");
    }

    @Test
    void picturesAreCachedPerPictureParameters() throws Exception {
        String q = "/render?format=png&target=a.b&from=989&until=1040&cacheTimeout=60";
        HttpResponse<byte[]> first = get(q + "&width=300");
        HttpResponse<byte[]> again = get(q + "&width=300");
        assertThat(again.headers().firstValue("Cache-Control")).hasValue("max-age=60");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(image(get(q + "&width=301")).getWidth()).isEqualTo(301);
    }

    @Test
    void svgWithJsonpIsAJavascriptCall() throws Exception {
        HttpResponse<byte[]> r = get("/render?format=svg&target=a.b&from=989&until=1040&jsonp=cb");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript");
        assertThat(text(r)).startsWith("cb(\"<?xml").endsWith("\")");
    }

    @Test
    void pdfIsRefused() throws Exception {
        HttpResponse<byte[]> r = get("/render?format=pdf&target=a.b");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).contains("png or svg");
    }
}
