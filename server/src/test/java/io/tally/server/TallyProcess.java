package io.tally.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: {@code tally server} as a child JVM ({@code java -cp <this test classpath> io.tally.server.Main
 * server ...}, because the shaded jar exists only after {@code package}), on 127.0.0.1 with fixed ports picked free
 * beforehand so a restart can reuse them. Output goes to a log file in the data directory's parent; the child logs
 * at INFO with its own logback configuration. {@link #close} kills a child that is still running.
 */
final class TallyProcess implements AutoCloseable {
    /** Fixed ports for one Tally: HTTP and carbon plaintext TCP (pickle and UDP are off). */
    record Ports(int http, int carbon) {
        /** Two distinct ports that are free right now (held open together while choosing). */
        static Ports free() throws IOException {
            try (ServerSocket a = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                 ServerSocket b = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                return new Ports(a.getLocalPort(), b.getLocalPort());
            }
        }
    }

    private static final String LOGBACK = """
            <configuration>
              <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                <target>System.err</target>
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n</pattern></encoder>
              </appender>
              <logger name="io.netty" level="WARN"/>
              <logger name="io.vertx" level="WARN"/>
              <root level="INFO"><appender-ref ref="STDERR"/></root>
            </configuration>
            """;

    private final Process process;
    private final Path log;
    private final TallyHttp http;
    private final Ports ports;

    private TallyProcess(Process process, Path log, Ports ports) {
        this.process = process;
        this.log = log;
        this.ports = ports;
        this.http = new TallyHttp(ports.http());
    }

    /** The child could not bind one of its ports (taken between choosing it and binding it). */
    static final class PortTaken extends IOException {
        PortTaken(String message) {
            super(message);
        }
    }

    /** Like {@link #start}, on ports chosen free; chooses again (up to three times) if one was taken meanwhile. */
    static TallyProcess startOnFreePorts(Path dataDir, String name, String... settings) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return start(dataDir, Ports.free(), name, settings);
            } catch (PortTaken e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * Starts {@code tally server} on {@code dataDir} and returns once {@code /health} answers 200. {@code settings}
     * are {@code key=value} pairs passed as {@code --set}.
     */
    static TallyProcess start(Path dataDir, Ports ports, String name, String... settings) throws IOException {
        Path work = dataDir.toAbsolutePath().getParent();
        Path logback = work.resolve("logback-child.xml");
        if (!Files.exists(logback)) {
            Files.writeString(logback, LOGBACK, StandardCharsets.UTF_8);
        }
        Path log = work.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-Dlogback.configurationFile=" + logback,
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "server",
                "--data-dir", dataDir.toString(),
                "--http-port", String.valueOf(ports.http()),
                "--carbon-port", String.valueOf(ports.carbon()),
                "--pickle-port", "-1",
                "--set", "http.host=127.0.0.1",
                "--set", "carbon.host=127.0.0.1",
                "--set", "carbon.udp=false",
                "--set", "query.workers=2",
                "--set", "self-metrics.prefix=" + EmbeddedTally.SELF_PREFIX));
        for (String s : settings) {
            cmd.add("--set");
            cmd.add(s);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        TallyProcess t = new TallyProcess(p, log, ports);
        try {
            Await.until("the child Tally to answer /health (log " + log + ")", () -> {
                if (!p.isAlive()) {
                    throw new AssertionError("the child Tally exited with " + p.exitValue() + ":\n" + t.log());
                }
                return t.http.get("/health").status();
            }, status -> status == 200);
        } catch (AssertionError e) {
            t.close();
            String output = t.log();
            if (p.exitValue() == 2 && output.contains(" is in use")) {
                throw new PortTaken(output.strip());
            }
            throw new AssertionError(e.getMessage() + "\n" + output, e);
        }
        return t;
    }

    Process process() {
        return process;
    }

    TallyHttp http() {
        return http;
    }

    Ports ports() {
        return ports;
    }

    /** Everything the child wrote so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Waits for the child to exit and returns its exit code. */
    int awaitExit(Duration max) throws InterruptedException {
        if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the child Tally did not exit within " + max.toSeconds() + " s:\n" + log());
        }
        return process.exitValue();
    }

    /** A socket address of the carbon plaintext listener. */
    InetSocketAddress carbon() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.carbon());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
