package io.tally.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the carbon receivers. Ports: {@code -1} disables a listener, {@code 0} binds an ephemeral port (read
 * it back from {@link CarbonReceivers}). Defaults follow carbon-cache: plaintext 2003, pickle 2004, UDP off.
 *
 * @param bindHost               address to listen on ({@code 0.0.0.0} for all)
 * @param plaintextTcpPort       carbon line protocol over TCP
 * @param plaintextUdpPort       carbon line protocol over UDP
 * @param pickleTcpPort          carbon pickle protocol (4-byte length framing)
 * @param maxConnections         per TCP listener; excess connections are closed and counted; 0 = unlimited
 * @param idleTimeout            close connections silent this long; {@link Duration#ZERO} = never
 * @param maxLineLength          longest accepted plaintext line in bytes; longer lines are skipped and counted
 * @param udpReceiveBuffer       SO_RCVBUF of the UDP socket in bytes (the kernel may cap it, see net.core.rmem_max)
 * @param pickleMaxFrame         largest pickle frame in bytes; a longer frame closes the connection
 * @param acceptMissingTimestamp plaintext: take a missing timestamp or {@code N} as arrival time (carbon rejects)
 * @param timestampResolution    carbon's MIN_TIMESTAMP_RESOLUTION in seconds (timestamps are truncated to it)
 * @param workerThreads          event-loop threads for connections; 0 = min(available processors, 4)
 * @param nativeTransport        use Linux epoll when available (NIO otherwise)
 */
public record ReceiverOptions(String bindHost, int plaintextTcpPort, int plaintextUdpPort, int pickleTcpPort,
                              int maxConnections, Duration idleTimeout, int maxLineLength, int udpReceiveBuffer,
                              int pickleMaxFrame, boolean acceptMissingTimestamp, int timestampResolution,
                              int workerThreads, boolean nativeTransport) {

    public static final int DISABLED = -1;

    public ReceiverOptions {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        checkPort("plaintextTcpPort", plaintextTcpPort);
        checkPort("plaintextUdpPort", plaintextUdpPort);
        checkPort("pickleTcpPort", pickleTcpPort);
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must be >= 0 (0 = unlimited), got " + maxConnections);
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative, got " + idleTimeout);
        }
        if (maxLineLength < 16 || maxLineLength > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("maxLineLength must be in 16..67108864, got " + maxLineLength);
        }
        if (udpReceiveBuffer < 4096) {
            throw new IllegalArgumentException("udpReceiveBuffer must be >= 4096, got " + udpReceiveBuffer);
        }
        if (pickleMaxFrame < 64 || pickleMaxFrame > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("pickleMaxFrame must be in 64..2147483639, got " + pickleMaxFrame);
        }
        if (timestampResolution < 1) {
            throw new IllegalArgumentException("timestampResolution must be >= 1, got " + timestampResolution);
        }
        if (workerThreads < 0) {
            throw new IllegalArgumentException("workerThreads must be >= 0, got " + workerThreads);
        }
    }

    private static void checkPort(String name, int port) {
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be -1 (disabled), 0 (ephemeral) or 1..65535, got "
                    + port);
        }
    }

    /** carbon-cache's defaults: plaintext 2003 and pickle 2004 on all addresses, UDP disabled. */
    public static ReceiverOptions defaults() {
        return new ReceiverOptions("0.0.0.0", 2003, DISABLED, 2004, 0, Duration.ZERO,
                PlaintextParser.Options.DEFAULT_MAX_LINE_LENGTH, 8 * 1024 * 1024, 1024 * 1024, false, 1, 0, true);
    }

    public ReceiverOptions withBindHost(String host) {
        return new ReceiverOptions(host, plaintextTcpPort, plaintextUdpPort, pickleTcpPort, maxConnections,
                idleTimeout, maxLineLength, udpReceiveBuffer, pickleMaxFrame, acceptMissingTimestamp,
                timestampResolution, workerThreads, nativeTransport);
    }

    public ReceiverOptions withPorts(int plaintextTcp, int plaintextUdp, int pickleTcp) {
        return new ReceiverOptions(bindHost, plaintextTcp, plaintextUdp, pickleTcp, maxConnections, idleTimeout,
                maxLineLength, udpReceiveBuffer, pickleMaxFrame, acceptMissingTimestamp, timestampResolution,
                workerThreads, nativeTransport);
    }

    public ReceiverOptions withMaxConnections(int max) {
        return new ReceiverOptions(bindHost, plaintextTcpPort, plaintextUdpPort, pickleTcpPort, max, idleTimeout,
                maxLineLength, udpReceiveBuffer, pickleMaxFrame, acceptMissingTimestamp, timestampResolution,
                workerThreads, nativeTransport);
    }

    public ReceiverOptions withIdleTimeout(Duration timeout) {
        return new ReceiverOptions(bindHost, plaintextTcpPort, plaintextUdpPort, pickleTcpPort, maxConnections,
                timeout, maxLineLength, udpReceiveBuffer, pickleMaxFrame, acceptMissingTimestamp,
                timestampResolution, workerThreads, nativeTransport);
    }

    public ReceiverOptions withMaxLineLength(int max) {
        return new ReceiverOptions(bindHost, plaintextTcpPort, plaintextUdpPort, pickleTcpPort, maxConnections,
                idleTimeout, max, udpReceiveBuffer, pickleMaxFrame, acceptMissingTimestamp, timestampResolution,
                workerThreads, nativeTransport);
    }

    public ReceiverOptions withUdpReceiveBuffer(int bytes) {
        return new ReceiverOptions(bindHost, plaintextTcpPort, plaintextUdpPort, pickleTcpPort, maxConnections,
                idleTimeout, maxLineLength, bytes, pickleMaxFrame, acceptMissingTimestamp, timestampResolution,
                workerThreads, nativeTransport);
    }

    public ReceiverOptions withPickleMaxFrame(int bytes) {
        return new ReceiverOptions(bindHost, plaintextTcpPort, plaintextUdpPort, pickleTcpPort, maxConnections,
                idleTimeout, maxLineLength, udpReceiveBuffer, bytes, acceptMissingTimestamp, timestampResolution,
                workerThreads, nativeTransport);
    }

    public ReceiverOptions withAcceptMissingTimestamp(boolean accept) {
        return new ReceiverOptions(bindHost, plaintextTcpPort, plaintextUdpPort, pickleTcpPort, maxConnections,
                idleTimeout, maxLineLength, udpReceiveBuffer, pickleMaxFrame, accept, timestampResolution,
                workerThreads, nativeTransport);
    }

    public ReceiverOptions withTimestampResolution(int seconds) {
        return new ReceiverOptions(bindHost, plaintextTcpPort, plaintextUdpPort, pickleTcpPort, maxConnections,
                idleTimeout, maxLineLength, udpReceiveBuffer, pickleMaxFrame, acceptMissingTimestamp, seconds,
                workerThreads, nativeTransport);
    }

    public ReceiverOptions withWorkerThreads(int threads) {
        return new ReceiverOptions(bindHost, plaintextTcpPort, plaintextUdpPort, pickleTcpPort, maxConnections,
                idleTimeout, maxLineLength, udpReceiveBuffer, pickleMaxFrame, acceptMissingTimestamp,
                timestampResolution, threads, nativeTransport);
    }

    public ReceiverOptions withNativeTransport(boolean useNative) {
        return new ReceiverOptions(bindHost, plaintextTcpPort, plaintextUdpPort, pickleTcpPort, maxConnections,
                idleTimeout, maxLineLength, udpReceiveBuffer, pickleMaxFrame, acceptMissingTimestamp,
                timestampResolution, workerThreads, useNative);
    }

    /** The plaintext parser settings these options imply (TCP flavour). */
    public PlaintextParser.Options parserOptions() {
        return new PlaintextParser.Options(maxLineLength, acceptMissingTimestamp, timestampResolution, false);
    }
}
