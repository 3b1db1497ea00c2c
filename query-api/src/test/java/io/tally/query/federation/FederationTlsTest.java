package io.tally.query.federation;

import io.tally.engine.util.ManualClock;
import io.tally.query.GraphiteHttpServer;
import io.tally.query.HttpTls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Two regions talking https to each other with a self-signed certificate made here by the JDK's keytool. */
class FederationTlsTest {
    static final long T = FederationHttpTest.T;
    static final String SECRET = "tls secret";

    @TempDir
    static Path dir;
    static ManualClock clock;
    static RegionNode north;
    static RegionNode south;
    static SSLContext trust;

    @BeforeAll
    static void start() throws Exception {
        HttpTls tls = selfSigned(dir);
        trust = PeerTls.trusting(tls.certPem());
        clock = new ManualClock(T);
        long[] times = {T - 120, T - 60, T};
        north = new RegionNode("north").data(dir.resolve("north"), clock, Map.of("app.requests", 1.0), times);
        south = new RegionNode("south").data(dir.resolve("south"), clock, Map.of("app.requests", 10.0), times);
        north.start(settings("north", south, trust), clock, tls);
        south.start(settings("south", north, trust), clock, tls);
    }

    static Federation.Settings settings(String region, RegionNode peer, SSLContext ssl) {
        return new Federation.Settings(region, "regions", List.of(peer.asPeer("https")), SECRET,
                Duration.ofSeconds(3), false, 3, Duration.ofSeconds(30), Duration.ofSeconds(60), 1 << 20, ssl);
    }

    @AfterAll
    static void stop() throws Exception {
        for (RegionNode n : new RegionNode[] {north, south}) {
            if (n != null) {
                n.close();
            }
        }
    }

    /** keytool makes an RSA key pair with a certificate for 127.0.0.1; the key and cert are then written as PEM. */
    static HttpTls selfSigned(Path dir) throws Exception {
        Path store = dir.resolve("node.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("node", "changeit".toCharArray());
        Certificate cert = ks.getCertificate("node");
        Path certPem = dir.resolve("node.crt");
        Path keyPem = dir.resolve("node.key");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        return new HttpTls(certPem, keyPem);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    @Test
    void regionsSumOverHttps() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String target = URLEncoder.encode("sumSeries(regions.*.app.requests)", StandardCharsets.UTF_8);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(north.base("https")
                + "/render?format=json&target=" + target + "&from=" + (T - 120) + "&until=" + T + "&now=" + T))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue(GraphiteHttpServer.PARTIAL_HEADER)).isEmpty();
        JsonArray points = ((JsonObject) new JsonArray(r.body()).getValue(0)).getJsonArray("datapoints");
        assertThat(points.stream().map(p -> ((JsonArray) p).getValue(0))).containsExactly(11.0, 11.0);
    }

    @Test
    void anUntrustedPeerCertificateMakesTheRegionMissing() {
        try (Federation f = new Federation(settings("north", south, null), north.engine(),
                io.tally.query.QueryLimits.defaults(), clock, new io.tally.engine.util.MetricsRegistry())) {
            Federation.Call c = f.call();
            assertThat(c.fetch("regions.south.app.requests", T - 120, T, T, 10)).isEmpty();
            assertThat(c.missing()).containsEntry("south", "unreachable");
        }
    }
}
