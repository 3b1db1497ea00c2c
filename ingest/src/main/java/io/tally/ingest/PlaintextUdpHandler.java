package io.tally.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.tally.engine.api.IngestSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The plaintext UDP socket: every datagram is parsed on its own, its last line complete without a newline
 * (datagrams are atomic; no reassembly across datagrams). A datagram that fills the whole receive allocation may
 * have been cut by the kernel and is counted as {@code truncated}.
 */
final class PlaintextUdpHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PlaintextUdpHandler.class);
    /** Receive allocation per datagram: larger than any IPv4 UDP payload (65507 bytes). */
    static final int MAX_DATAGRAM = 65536;

    private final PlaintextParser parser;
    private final IngestSink sink;
    private final Supplier<byte[]> workBuffer;
    private final IngestCounters counters;
    private final LongAdder datagrams;
    private final LongAdder truncated;
    private Backpressure backpressure;

    PlaintextUdpHandler(PlaintextParser parser, IngestSink sink, Supplier<byte[]> workBuffer,
                        IngestCounters counters) {
        this.parser = parser;
        this.sink = sink;
        this.workBuffer = workBuffer;
        this.counters = counters;
        this.datagrams = counters.counter("datagrams");
        this.truncated = counters.counter("truncated");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        backpressure = new Backpressure(ctx.channel(), sink, counters.paused);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            ByteBuf in = packet.content();
            int n = in.readableBytes();
            counters.bytes.add(n);
            datagrams.increment();
            if (n >= MAX_DATAGRAM) {
                truncated.increment();
            }
            byte[] work = workBuffer.get();
            n = Math.min(n, work.length);
            in.readBytes(work, 0, n);
            parser.setSource(packet.sender());
            parser.parse(work, 0, n, true);
        } finally {
            packet.release();
        }
        backpressure.check(parser.takePauseRequest());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        parser.flush();
        backpressure.check(parser.takePauseRequest());
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        parser.flush();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("{}: error on the UDP socket: {}", counters.protocol, cause.toString());
    }
}
