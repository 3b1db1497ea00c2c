package io.tally.query.federation;

import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeerAuthTest {
    private final ManualClock clock = new ManualClock(1_700_000_000L);
    private final PeerAuth auth = new PeerAuth("s3cret", clock);

    @Test
    void aSignedRequestVerifies() {
        String h = auth.sign("eu", "GET", "/federation/v1/find", "query=a.*&limit=5");
        assertThat(auth.verify(h, "GET", "/federation/v1/find", "query=a.*&limit=5")).isNull();
    }

    @Test
    void anotherSecretIsRefused() {
        String h = new PeerAuth("other", clock).sign("eu", "GET", "/federation/v1/find", "query=a");
        assertThat(auth.verify(h, "GET", "/federation/v1/find", "query=a")).contains("wrong signature");
    }

    @Test
    void aChangedQueryOrPathIsRefused() {
        String h = auth.sign("eu", "GET", "/federation/v1/find", "query=a");
        assertThat(auth.verify(h, "GET", "/federation/v1/find", "query=b")).contains("wrong signature");
        assertThat(auth.verify(h, "GET", "/federation/v1/fetch", "query=a")).contains("wrong signature");
        assertThat(auth.verify(h.replace(" eu ", " us "), "GET", "/federation/v1/find", "query=a"))
                .contains("wrong signature");
    }

    @Test
    void anOldSignatureIsRefused() {
        String h = auth.sign("eu", "GET", "/federation/v1/find", "query=a");
        clock.advanceSeconds(PeerAuth.MAX_SKEW_SECONDS);
        assertThat(auth.verify(h, "GET", "/federation/v1/find", "query=a")).isNull();
        clock.advanceSeconds(1);
        assertThat(auth.verify(h, "GET", "/federation/v1/find", "query=a")).contains("from this node's clock");
    }

    @Test
    void missingOrMalformedHeadersAreRefused() {
        assertThat(auth.verify(null, "GET", "/x", "")).contains("missing");
        assertThat(auth.verify("v1 eu notanumber ff", "GET", "/x", "")).contains("malformed");
        assertThat(auth.verify("v1 eu 1 zz", "GET", "/x", "")).contains("malformed");
        assertThat(auth.verify("v2 eu 1 ff", "GET", "/x", "")).contains("malformed");
    }
}
