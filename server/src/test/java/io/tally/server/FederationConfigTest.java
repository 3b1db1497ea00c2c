package io.tally.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FederationConfigTest {
    private static final Map<String, String> ENV = Map.of("HOSTNAME", "box");

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void federationIsOffByDefault() throws Exception {
        ServerConfig c = ServerConfig.load(null, ENV, Map.of());
        assertThat(c.federationPeers()).isEmpty();
        assertThat(c.federationSecret()).isEmpty();
        assertThat(c.federationRoot()).isEqualTo("regions");
        assertThat(c.federationTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.federationRequireComplete()).isFalse();
        assertThat(c.toYaml()).contains("federation:").contains("  root: \"regions\"");
    }

    @Test
    void peersFromTheFlatText() throws Exception {
        ServerConfig c = ServerConfig.load(null, ENV, Map.of("region", "eu",
                "federation.peers", "us=https://us.example:8080, ap=http://10.0.0.3:8080;timeout=2s",
                "federation.secret", "s"));
        assertThat(c.federationPeers()).containsOnlyKeys("us", "ap");
        assertThat(c.federationPeers().get("us").url()).isEqualTo(URI.create("https://us.example:8080"));
        assertThat(c.federationPeers().get("us").timeout()).isNull();
        assertThat(c.federationPeers().get("ap").timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.toString()).doesNotContain("=s,").contains("federation.secret=***");
    }

    @Test
    void peersFromYamlMappingsAndLists() throws Exception {
        Path map = file("map.yaml", """
                region: eu
                federation:
                  secret: s
                  require-complete: true
                  peers:
                    us: https://us.example:8080
                    ap: {url: "http://ap:8080", timeout: 1500ms}
                """);
        ServerConfig c = ServerConfig.load(map, ENV, Map.of());
        assertThat(c.federationPeers().keySet()).containsExactly("us", "ap");
        assertThat(c.federationPeers().get("ap").timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.federationRequireComplete()).isTrue();
        Path list = file("list.yaml", """
                region: eu
                federation.secret: s
                federation.peers: ["us=http://us:8080", "ap=http://ap:8080"]
                """);
        assertThat(ServerConfig.load(list, ENV, Map.of()).federationPeers().keySet()).containsExactly("us", "ap");
    }

    @Test
    void theSecretMayComeFromAFile() throws Exception {
        Path secret = file("secret", "from-file\n");
        ServerConfig c = ServerConfig.load(null, ENV, Map.of("federation.peers", "us=http://us:1",
                "federation.secret-file", secret.toString()));
        assertThat(c.federationSecret()).isEqualTo("from-file");
    }

    @Test
    void badFederationValuesNameTheKey() {
        assertThatThrownBy(() -> ServerConfig.load(null, ENV, Map.of("federation.peers", "us=http://us:1")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("federation.secret: expected");
        assertThatThrownBy(() -> ServerConfig.load(null, ENV, Map.of("federation.peers", "us=ftp://us",
                "federation.secret", "s")))
                .hasMessageStartingWith("federation.peers: expected REGION=URL").hasMessageContaining("ftp://us");
        assertThatThrownBy(() -> ServerConfig.load(null, ENV, Map.of("federation.peers", "us.east=http://h:1",
                "federation.secret", "s"))).hasMessageStartingWith("federation.peers: expected");
        assertThatThrownBy(() -> ServerConfig.load(null, ENV, Map.of("region", "eu",
                "federation.peers", "eu=http://h:1", "federation.secret", "s")))
                .hasMessageStartingWith("federation.peers: lists this node's own region 'eu'");
        assertThatThrownBy(() -> ServerConfig.load(null, ENV, Map.of("region", "eu.west",
                "federation.peers", "us=http://h:1", "federation.secret", "s"))).hasMessageStartingWith("region:");
        assertThatThrownBy(() -> ServerConfig.load(null, ENV, Map.of("federation.root", "a.b")))
                .hasMessageStartingWith("federation.root: expected one metric path node");
        assertThatThrownBy(() -> ServerConfig.load(null, ENV, Map.of("federation.timeout", "0")))
                .hasMessageStartingWith("federation.timeout:");
        assertThatThrownBy(() -> ServerConfig.load(null, ENV, Map.of("federation.secret-file",
                dir.resolve("nope").toString()))).hasMessageStartingWith("federation.secret-file: cannot read");
    }

    @Test
    void httpsNeedsBothCertificateAndKey() throws Exception {
        Path cert = file("c.pem", "x");
        assertThatThrownBy(() -> ServerConfig.load(null, ENV, Map.of("http.tls-cert", cert.toString())))
                .hasMessageStartingWith("http.tls-key: expected a PEM file path");
        assertThatThrownBy(() -> ServerConfig.load(null, ENV, Map.of("federation.ca-file", "/nonexistent.pem")))
                .hasMessageStartingWith("federation.ca-file: cannot read");
    }
}
