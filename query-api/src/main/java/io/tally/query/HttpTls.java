package io.tally.query;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Server-side TLS for the HTTP port ({@code http.tls-cert}, {@code http.tls-key}): a PEM certificate chain and its
 * PKCS#8 PEM private key, so Grafana and peer regions can talk https.
 */
public record HttpTls(Path certPem, Path keyPem) {
    public HttpTls {
        Objects.requireNonNull(certPem, "certPem");
        Objects.requireNonNull(keyPem, "keyPem");
    }
}
