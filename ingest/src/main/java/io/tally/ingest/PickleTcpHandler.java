package io.tally.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import io.tally.engine.api.IngestSink;
import io.tally.engine.util.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One pickle TCP connection, behind a length-field frame decoder. Each frame is decoded by the event loop's shared
 * {@link PickleDecoder} into this connection's {@link PointWriter}. An oversized frame (its length prefix cannot be
 * trusted to resynchronise) is counted and closes the connection, as carbon does.
 */
final class PickleTcpHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PickleTcpHandler.class);

    private final PointWriter writer;
    private final IngestSink sink;
    private final Supplier<PickleDecoder> decoder;
    private final Supplier<byte[]> frameBuffer;
    private final IngestCounters counters;
    private final LongAdder oversized;
    private final RateLimitedLog rateLimit;
    private final int maxFrame;
    private Backpressure backpressure;
    private Object source = "?";

    PickleTcpHandler(IngestSink sink, Supplier<PickleDecoder> decoder, Supplier<byte[]> frameBuffer,
                     IngestCounters counters, RateLimitedLog rateLimit, int maxFrame) {
        this.writer = new PointWriter(sink, counters.points);
        this.sink = sink;
        this.decoder = decoder;
        this.frameBuffer = frameBuffer;
        this.counters = counters;
        this.oversized = counters.counter("bad_frames.oversized");
        this.rateLimit = rateLimit;
        this.maxFrame = maxFrame;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        source = ctx.channel().remoteAddress();
        backpressure = new Backpressure(ctx.channel(), sink, counters.paused);
        counters.connections.increment();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            int len = frame.readableBytes();
            counters.bytes.add(len + 4L);
            if (frame.hasArray()) {
                decoder.get().decode(frame.array(), frame.arrayOffset() + frame.readerIndex(), len, writer, source);
            } else {
                byte[] buf = frameBuffer.get();
                frame.getBytes(frame.readerIndex(), buf, 0, len);
                decoder.get().decode(buf, 0, len, writer, source);
            }
        } finally {
            frame.release();
        }
        backpressure.check(writer.takePauseRequest());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        writer.flush();
        backpressure.check(writer.takePauseRequest());
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        writer.flush();
        ctx.fireChannelInactive();
    }


    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            oversized.increment();
            if (rateLimit.permit()) {
                LOG.warn("{}: pickle frame from {} longer than {} bytes, closing the connection (raise "
                        + "pickleMaxFrame to accept it): {}", counters.protocol, source, maxFrame, cause.getMessage());
            }
        } else {
            LOG.debug("{}: closing connection from {}: {}", counters.protocol, source, cause.toString());
        }
        ctx.close();
    }
}
