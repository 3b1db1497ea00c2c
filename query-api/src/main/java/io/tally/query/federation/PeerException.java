package io.tally.query.federation;

/**
 * Why a peer's answer is missing; {@link #reason()} is the short token shown in {@code X-Tally-Partial}
 * ({@code timeout}, {@code unreachable}, {@code unauthorized}, {@code circuit-open}, {@code http-<status>},
 * {@code bad-response}).
 */
public final class PeerException extends RuntimeException {
    private final String reason;

    public PeerException(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    /** Whether the failure says something about the peer's health (counts toward its circuit breaker). */
    boolean peerFault() {
        return !reason.equals("circuit-open") && !reason.equals("http-400") && !reason.equals("http-422");
    }
}
