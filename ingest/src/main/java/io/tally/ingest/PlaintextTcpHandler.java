package io.tally.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.tally.engine.api.IngestSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * One plaintext TCP connection. Each read is copied, behind the unfinished line of the previous read
 * ({@code carry}, at most maxLineLength bytes), into a per-thread work buffer and parsed there; the new unfinished
 * tail goes back to {@code carry}. The batch is handed over at the end of every read burst.
 */
final class PlaintextTcpHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PlaintextTcpHandler.class);

    private final PlaintextParser parser;
    private final IngestSink sink;
    private final Supplier<byte[]> workBuffer;
    private final IngestCounters counters;
    private Backpressure backpressure;
    private byte[] carry = new byte[0];
    private int carryLen;

    PlaintextTcpHandler(PlaintextParser parser, IngestSink sink, Supplier<byte[]> workBuffer,
                        IngestCounters counters) {
        this.parser = parser;
        this.sink = sink;
        this.workBuffer = workBuffer;
        this.counters = counters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        parser.setSource(ctx.channel().remoteAddress());
        backpressure = new Backpressure(ctx.channel(), sink, counters.paused);
        counters.connections.increment();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            counters.bytes.add(in.readableBytes());
            byte[] work = workBuffer.get();
            while (in.isReadable()) {
                System.arraycopy(carry, 0, work, 0, carryLen);
                int n = carryLen;
                int take = Math.min(in.readableBytes(), work.length - n);
                in.readBytes(work, n, take);
                n += take;
                int consumed = parser.parse(work, 0, n, false);
                carryLen = n - consumed;
                if (carryLen > carry.length) {
                    carry = Arrays.copyOf(carry, Math.max(carryLen, Math.min(2 * carry.length + 64, work.length)));
                }
                System.arraycopy(work, consumed, carry, 0, carryLen);
            }
        } finally {
            in.release();
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
        parser.endOfStream(carry, 0, carryLen);
        carryLen = 0;
        parser.flush();
        ctx.fireChannelInactive();
    }


    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: closing connection from {}: {}", counters.protocol, ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
