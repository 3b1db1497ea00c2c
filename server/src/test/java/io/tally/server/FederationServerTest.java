package io.tally.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Two full Tally servers (real engines, carbon, HTTP) wired by configuration: region b reads region a. */
class FederationServerTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void aRegionReadsAnotherThroughItsConfiguredPeer() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        try (EmbeddedTally a = EmbeddedTally.start(dir.resolve("a"), "region", "a", "federation.secret", "s3");
             EmbeddedTally b = EmbeddedTally.start(dir.resolve("b"), "region", "b", "federation.secret", "s3",
                     "federation.peers", "a=http://127.0.0.1:" + a.server().httpPort() + ";timeout=2s")) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), a.plaintextTcpPort());
                 OutputStream out = s.getOutputStream()) {
                out.write(("app.hits 5 " + now + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (a.http().find("app.*").isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // each find is a real HTTP round trip; the loop ends when the point is stored
            }
            assertThat(b.http().find("regions.*")).extracting(TallyHttp.Node::id)
                    .containsExactly("regions.a", "regions.b");
            HttpResponse<String> r = render(b, "sumSeries(regions.*.app.hits)");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Tally-Partial")).isEmpty();
            assertThat(r.body()).contains("[5.0, " + (now - now % 60) + "]");

            a.close();
            HttpResponse<String> partial = render(b, "sumSeries(regions.*.app.hits)");
            assertThat(partial.statusCode()).isEqualTo(200);
            assertThat(partial.headers().firstValue("X-Tally-Partial")).hasValue("a=unreachable");
        }
    }

    @Test
    void regionsTalkHttpsWhenConfigured() throws Exception {
        Path cert = dir.resolve("node.crt");
        Path key = dir.resolve("node.key");
        selfSigned(cert, key);
        try (EmbeddedTally a = EmbeddedTally.start(dir.resolve("a"), "region", "a", "federation.secret", "s3",
                "http.tls-cert", cert.toString(), "http.tls-key", key.toString());
             EmbeddedTally b = EmbeddedTally.start(dir.resolve("b"), "region", "b", "federation.secret", "s3",
                     "federation.ca-file", cert.toString(),
                     "federation.peers", "a=https://127.0.0.1:" + a.server().httpPort())) {
            HttpResponse<String> found = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + b.server().httpPort() + "/metrics/find?format=json&query=regions.a.*")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(found.headers().firstValue("X-Tally-Partial")).isEmpty();
        }
    }

    @Test
    void aBadCertificateStopsStartUpNamingTheKey() throws Exception {
        Path junk = dir.resolve("junk.pem");
        java.nio.file.Files.writeString(junk, "not a certificate");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"server", "--http-port", "0", "--set", "http.host=127.0.0.1",
                        "--set", "http.tls-cert=" + junk, "--set", "http.tls-key=" + junk},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), Map.of("HOSTNAME", "t"),
                (c, m) -> new FakeEngine(), (c, sink, m) -> List.of(), TallyServer::stop);
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("tally: http.tls-cert: cannot serve https");
    }

    /** A self-signed certificate for 127.0.0.1 made by the JDK's keytool, written as PEM with its PKCS#8 key. */
    private static void selfSigned(Path certPem, Path keyPem) throws Exception {
        Path store = certPem.resolveSibling("node.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'});
        java.nio.file.Files.writeString(certPem, "-----BEGIN CERTIFICATE-----\n"
                + b64.encodeToString(ks.getCertificate("node").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        java.nio.file.Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
                + b64.encodeToString(ks.getKey("node", "changeit".toCharArray()).getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    @Test
    void peerFlagsReachTheConfiguration() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"server", "--http-port", "0", "--set", "http.host=127.0.0.1",
                        "--region", "eu", "--peer", "us=http://127.0.0.1:9", "--peer", "ap=http://127.0.0.1:10",
                        "--peer-secret", "x"}, new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true), Map.of("HOSTNAME", "t"), (c, m) -> {
                    assertThat(c.federationPeers().keySet()).containsExactly("us", "ap");
                    assertThat(c.federationSecret()).isEqualTo("x");
                    return new FakeEngine();
                }, (c, sink, m) -> List.of(), TallyServer::stop);
        assertThat(code).as(err.toString()).isZero();
        StringWriter err2 = new StringWriter();
        int bad = Main.run(new String[] {"server", "--peer", "us=http://127.0.0.1:9"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err2, true), Map.of("HOSTNAME", "t"),
                (c, m) -> new FakeEngine(), (c, sink, m) -> List.of(), TallyServer::stop);
        assertThat(bad).isEqualTo(2);
        assertThat(err2.toString()).startsWith("tally: federation.secret: expected").doesNotContain("\n\n");
    }

    private static HttpResponse<String> render(EmbeddedTally node, String target) throws Exception {
        String url = "http://127.0.0.1:" + node.server().httpPort() + "/render?format=json&from=-5min&target="
                + URLEncoder.encode(target, StandardCharsets.UTF_8);
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
