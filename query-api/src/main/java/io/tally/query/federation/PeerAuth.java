package io.tally.query.federation;

import io.tally.engine.util.Clock;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Peer authentication with the shared secret ({@code federation.secret}): the caller sends
 * {@value #HEADER}{@code : v1 <region> <unix-seconds> <hex HMAC-SHA256>} where the MAC covers
 * {@code "v1\n" + region + "\n" + seconds + "\n" + method + "\n" + path + "\n" + rawQuery}. The receiver recomputes
 * it, compares in constant time and accepts a timestamp at most {@link #MAX_SKEW_SECONDS} away from its own clock,
 * so a captured header is useless for other requests and soon for the same one. The secret never travels.
 * Thread-safe: a {@link Mac} is created per call.
 */
public final class PeerAuth {
    public static final String HEADER = "X-Tally-Peer-Auth";
    public static final long MAX_SKEW_SECONDS = 120;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final Clock clock;

    public PeerAuth(String secret, Clock clock) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("federation.secret must not be empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.clock = clock;
    }

    /** The header value for a request from {@code region}. */
    public String sign(String region, String method, String path, String rawQuery) {
        long now = clock.nowSeconds();
        return "v1 " + region + " " + now + " " + HexFormat.of().formatHex(mac(region, now, method, path, rawQuery));
    }

    /**
     * Checks a received header.
     *
     * @return null when valid, else the reason (for the 401 body)
     */
    public String verify(String header, String method, String path, String rawQuery) {
        if (header == null || header.isEmpty()) {
            return "missing " + HEADER + " header (peer requests need the shared federation.secret)";
        }
        String[] parts = header.strip().split(" ");
        if (parts.length != 4 || !parts[0].equals("v1")) {
            return "malformed " + HEADER + " header";
        }
        long ts;
        byte[] given;
        try {
            ts = Long.parseLong(parts[2]);
            given = HexFormat.of().parseHex(parts[3]);
        } catch (IllegalArgumentException e) {
            return "malformed " + HEADER + " header";
        }
        byte[] expected = mac(parts[1], ts, method, path, rawQuery);
        if (!MessageDigest.isEqual(expected, given)) {
            return "wrong signature (federation.secret differs between the regions)";
        }
        if (Math.abs(clock.nowSeconds() - ts) > MAX_SKEW_SECONDS) {
            return "timestamp " + ts + " is more than " + MAX_SKEW_SECONDS + " s from this node's clock";
        }
        return null;
    }

    private byte[] mac(String region, long ts, String method, String path, String rawQuery) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            String text = "v1\n" + region + "\n" + ts + "\n" + method + "\n" + path + "\n"
                    + (rawQuery == null ? "" : rawQuery);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
