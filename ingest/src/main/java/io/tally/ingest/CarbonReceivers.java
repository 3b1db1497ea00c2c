package io.tally.ingest;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tally.engine.api.IngestSink;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.engine.util.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Carbon's three listeners on Netty: plaintext TCP, plaintext UDP and pickle TCP (graphite-compat §1.1-1.6), all
 * feeding one {@link IngestSink}.
 *
 * <p>Threads: one acceptor thread and {@code workerThreads} event loops shared by the listeners (epoll when
 * available, else NIO). All parsing happens on the event loops; they never block: when the sink is full a channel
 * stops reading until {@link IngestSink#whenWritable} calls back. Scratch memory is per event-loop thread (a work
 * buffer, a pickle frame buffer and decoder); per connection there is only the unfinished line and a lazily taken
 * batch, handed to the sink at the end of every read burst.
 *
 * <p>Lifecycle: {@link #start()} returns once every enabled listener is bound (ports readable through the
 * accessors); {@link #stop()} closes the listeners and the connections (their pending batches are flushed) and
 * waits for the event loops to end. An instance can be started again after stop, on the same ports.
 *
 * <p>Counters: {@code ingest.plaintext_tcp.*}, {@code ingest.plaintext_udp.*}, {@code ingest.pickle_tcp.*}.
 */
public final class CarbonReceivers implements AutoCloseable {
    public static final String PLAINTEXT_TCP = "plaintext_tcp";
    public static final String PLAINTEXT_UDP = "plaintext_udp";
    public static final String PICKLE_TCP = "pickle_tcp";

    private static final Logger LOG = LoggerFactory.getLogger(CarbonReceivers.class);

    private final ReceiverOptions options;
    private final IngestSink sink;
    private final MetricsRegistry metrics;
    private final Clock clock;
    private final IngestCounters tcpCounters;
    private final IngestCounters udpCounters;
    private final IngestCounters pickleCounters;
    private final RateLimitedLog tcpLog;
    private final RateLimitedLog udpLog;
    private final RateLimitedLog pickleLog;
    private final FastThreadLocal<byte[]> workBuffer;
    private final FastThreadLocal<byte[]> frameBuffer;
    private final FastThreadLocal<PickleDecoder> pickleDecoder;

    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private ChannelGroup channels;
    private Channel tcpChannel;
    private Channel udpChannel;
    private Channel pickleChannel;
    private boolean nativeTransport;

    public CarbonReceivers(ReceiverOptions options, IngestSink sink, MetricsRegistry metrics, Clock clock) {
        this.options = options;
        this.sink = sink;
        this.metrics = metrics;
        this.clock = clock;
        this.tcpCounters = new IngestCounters(metrics, PLAINTEXT_TCP);
        this.udpCounters = new IngestCounters(metrics, PLAINTEXT_UDP);
        this.pickleCounters = new IngestCounters(metrics, PICKLE_TCP);
        this.tcpLog = new RateLimitedLog(LoggerFactory.getLogger(PlaintextParser.class), 10, 10_000, clock);
        this.udpLog = new RateLimitedLog(LoggerFactory.getLogger(PlaintextParser.class), 10, 10_000, clock);
        this.pickleLog = new RateLimitedLog(LoggerFactory.getLogger(PickleDecoder.class), 10, 10_000, clock);
        int work = Math.max(options.maxLineLength() + 64 * 1024, PlaintextUdpHandler.MAX_DATAGRAM);
        this.workBuffer = new FastThreadLocal<>() {
            @Override
            protected byte[] initialValue() {
                return new byte[work];
            }
        };
        this.frameBuffer = new FastThreadLocal<>() {
            @Override
            protected byte[] initialValue() {
                return new byte[options.pickleMaxFrame()];
            }
        };
        this.pickleDecoder = new FastThreadLocal<>() {
            @Override
            protected PickleDecoder initialValue() {
                return new PickleDecoder(PickleDecoder.Limits.defaults(), clock, options.timestampResolution(),
                        metrics, PICKLE_TCP, pickleLog);
            }
        };
    }

    /** Binds every enabled listener; returns when they are bound. Throws IllegalStateException if one cannot bind. */
    public synchronized void start() throws InterruptedException {
        if (workers != null) {
            throw new IllegalStateException("carbon receivers already started");
        }
        nativeTransport = options.nativeTransport() && Epoll.isAvailable();
        IoHandlerFactory io = nativeTransport ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        int threads = options.workerThreads() > 0 ? options.workerThreads()
                : Math.min(Runtime.getRuntime().availableProcessors(), 4);
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tally-carbon-accept", true), io);
        workers = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("tally-carbon", true), io);
        channels = new DefaultChannelGroup("carbon", GlobalEventExecutor.INSTANCE);
        try {
            if (options.plaintextTcpPort() != ReceiverOptions.DISABLED) {
                tcpChannel = bindTcp(options.plaintextTcpPort(), "plaintext TCP", tcpCounters, tcpLog, new TcpInit() {
                    @Override
                    void pipeline(SocketChannel ch) {
                        PlaintextParser parser = new PlaintextParser(options.parserOptions(), sink, clock, metrics,
                                PLAINTEXT_TCP, tcpLog);
                        ch.pipeline().addLast(new PlaintextTcpHandler(parser, sink, workBuffer::get, tcpCounters));
                    }
                });
            }
            if (options.pickleTcpPort() != ReceiverOptions.DISABLED) {
                pickleChannel = bindTcp(options.pickleTcpPort(), "pickle TCP", pickleCounters, pickleLog, new TcpInit() {
                    @Override
                    void pipeline(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new LengthFieldBasedFrameDecoder(options.pickleMaxFrame() + 4, 0, 4, 0, 4),
                                new PickleTcpHandler(sink, pickleDecoder::get, frameBuffer::get, pickleCounters,
                                        pickleLog, options.pickleMaxFrame()));
                    }
                });
            }
            if (options.plaintextUdpPort() != ReceiverOptions.DISABLED) {
                udpChannel = bindUdp(options.plaintextUdpPort());
            }
        } catch (RuntimeException | InterruptedException e) {
            stop();
            throw e;
        }
        LOG.info("carbon receivers listening on {}: plaintext TCP {}, UDP {}, pickle {} ({} transport, {} threads)",
                options.bindHost(), plaintextTcpPort(), plaintextUdpPort(), pickleTcpPort(),
                nativeTransport ? "epoll" : "nio", threads);
    }

    /** Closes listeners and connections, flushing their pending batches, and ends the event loops. Idempotent. */
    public synchronized void stop() {
        if (workers == null) {
            return;
        }
        channels.close().awaitUninterruptibly();
        acceptor.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        tcpChannel = null;
        udpChannel = null;
        pickleChannel = null;
        workers = null;
        acceptor = null;
        channels = null;
    }

    @Override
    public void close() {
        stop();
    }

    /** The bound plaintext TCP port, or -1 when disabled or not running. */
    public synchronized int plaintextTcpPort() {
        return port(tcpChannel);
    }

    /** The bound plaintext UDP port, or -1 when disabled or not running. */
    public synchronized int plaintextUdpPort() {
        return port(udpChannel);
    }

    /** The bound pickle TCP port, or -1 when disabled or not running. */
    public synchronized int pickleTcpPort() {
        return port(pickleChannel);
    }

    /** True if the running listeners use Linux epoll rather than NIO. */
    public synchronized boolean isNativeTransport() {
        return workers != null && nativeTransport;
    }

    private static int port(Channel ch) {
        return ch == null ? -1 : ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** Builds a connection's pipeline after the connection limit and idle timeout are applied. */
    private abstract static class TcpInit {
        abstract void pipeline(SocketChannel ch);
    }

    private Channel bindTcp(int port, String what, IngestCounters counters, RateLimitedLog log, TcpInit init)
            throws InterruptedException {
        AtomicInteger open = new AtomicInteger();
        int max = options.maxConnections();
        long idleMillis = options.idleTimeout().toMillis();
        ChannelGroup group = channels;
        Class<? extends ServerChannel> type = nativeTransport ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(type)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (max > 0 && open.incrementAndGet() > max) {
                            open.decrementAndGet();
                            counters.connectionsRejected.increment();
                            if (log.permit()) {
                                LOG.warn("{}: refusing connection from {}: {} connections open (maxConnections)",
                                        counters.protocol, ch.remoteAddress(), max);
                            }
                            ch.close();
                            return;
                        }
                        if (max > 0) {
                            ch.closeFuture().addListener(f -> open.decrementAndGet());
                        }
                        group.add(ch);
                        if (idleMillis > 0) {
                            ch.pipeline().addLast(new IdleCloser(idleMillis, counters));
                        }
                        init.pipeline(ch);
                    }
                });
        return bind(b.bind(options.bindHost(), port), what, port);
    }

    private Channel bindUdp(int port) throws InterruptedException {
        Class<? extends DatagramChannel> type = nativeTransport ? EpollDatagramChannel.class
                : NioDatagramChannel.class;
        PlaintextParser parser = new PlaintextParser(options.parserOptions().withDatagram(true), sink, clock,
                metrics, PLAINTEXT_UDP, udpLog);
        Bootstrap b = new Bootstrap()
                .group(workers)
                .channel(type)
                .option(ChannelOption.SO_RCVBUF, options.udpReceiveBuffer())
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(PlaintextUdpHandler.MAX_DATAGRAM))
                .handler(new PlaintextUdpHandler(parser, sink, workBuffer::get, udpCounters));
        return bind(b.bind(options.bindHost(), port), "plaintext UDP", port);
    }

    private Channel bind(ChannelFuture f, String what, int port) throws InterruptedException {
        f.await();
        if (!f.isSuccess()) {
            throw new IllegalStateException("cannot bind the " + what + " listener to " + options.bindHost() + ":"
                    + port + ": " + f.cause(), f.cause());
        }
        channels.add(f.channel());
        return f.channel();
    }

    /** Closes a connection that has been silent for the idle timeout, and counts it. */
    private static final class IdleCloser extends IdleStateHandler {
        private final IngestCounters counters;

        IdleCloser(long idleMillis, IngestCounters counters) {
            super(idleMillis, 0, 0, TimeUnit.MILLISECONDS);
            this.counters = counters;
        }

        @Override
        protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
            counters.idleClosed.increment();
            ctx.close();
        }
    }
}
