package io.tally.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<FakeEngine> engines = new ArrayList<>();
    private final List<Integer> servedPorts = new ArrayList<>();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of("HOSTNAME", "t"),
                (c, m) -> {
                    FakeEngine e = new FakeEngine();
                    engines.add(e);
                    return e;
                }, (c, sink, m) -> List.of(), server -> {
                    servedPorts.add(server.httpPort());
                    server.stop();
                });
    }

    @Test
    void aBadFlagValueExitsWith2AndNamesTheKey() {
        assertThat(run("server", "--http-port", "eighty")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                "tally: http.port: expected a port number 0-65535, got 'eighty' from command line\n");
        assertThat(engines).isEmpty();
    }

    @Test
    void anUnknownSetKeyExitsWith2() {
        assertThat(run("server", "--set", "http.prot=1")).isEqualTo(2);
        assertThat(err.toString()).startsWith("tally: unknown configuration key 'http.prot'");
    }

    @Test
    void anUnknownOptionExitsWith2() {
        assertThat(run("server", "--htp-port", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option");
    }

    @Test
    void aTakenPortExitsWith2WithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThat(run("server", "--http-port", String.valueOf(port), "--set", "http.host=127.0.0.1",
                    "--carbon-port", "-1", "--pickle-port", "-1", "--data-dir", dir.toString())).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("tally: http.port " + port + " is in use\n");
            assertThat(engines).singleElement().satisfies(e -> assertThat(e.closed).isTrue());
        }
    }

    @Test
    void startsServesAndStopsWithExitCode0() {
        assertThat(run("server", "--http-port", "0", "--set", "http.host=127.0.0.1", "--region", "eu-9",
                "--set", "self-metrics.interval=0", "--data-dir", dir.toString())).isEqualTo(0);
        assertThat(servedPorts).singleElement().satisfies(p -> assertThat(p).isPositive());
        assertThat(engines).singleElement().satisfies(e -> assertThat(e.closed).isTrue());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void configFileAndFlagsCombine() throws Exception {
        Path cfg = dir.resolve("t.yaml");
        Files.writeString(cfg, "http:\n  host: 127.0.0.1\n  port: 1\nregion: from-file\n");
        List<ServerConfig> seen = new ArrayList<>();
        int code = Main.run(new String[]{"server", "--config", cfg.toString(), "--http-port", "0", "--data-dir",
                dir.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true), Map.of("TALLY_REGION", "from-env"),
                (c, m) -> {
                    seen.add(c);
                    return new FakeEngine();
                }, (c, sink, m) -> List.of(), TallyServer::stop);
        assertThat(code).isZero();
        assertThat(seen.get(0).region()).isEqualTo("from-env");
        assertThat(seen.get(0).httpPort()).isZero();
    }

    @Test
    void printDefaultConfigLoadsBack() throws Exception {
        assertThat(run("server", "--print-default-config")).isZero();
        Path f = dir.resolve("defaults.yaml");
        Files.writeString(f, out.toString());
        assertThat(ServerConfig.load(f, Map.of(), Map.of()).texts()).isEqualTo(ServerConfig.defaults().texts());
    }

    @Test
    void versionAndNoCommand() {
        assertThat(run("version")).isZero();
        assertThat(out.toString()).startsWith("tally ").contains("Graphite API 1.1.10");
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("a command is required");
    }

    @Test
    void importTattleWritesLoadableDefinitionsAndReportsSkippedChecks(@TempDir Path dir)
            throws Exception {
        Path checks = dir.resolve("checks.csv");
        Files.writeString(checks, """
                check_id,name,target,error,warn,sample,baseline,over_under,visibility,enabled,repeat_delay,type
                1,API errors,sumSeries(apps.*.errors),20,10,10,average,0,0,1,30,threshold
                2,Bad order,x.y,5,10,10,average,0,0,1,60,threshold
                """);
        Path yaml = dir.resolve("alerts.yaml");
        assertThat(run("import-tattle", checks.toString(), "--offset", "1m", "--out", yaml.toString())).isZero();
        assertThat(Files.readString(yaml)).contains("id: api-errors");
        assertThat(err.toString()).contains("check 2 (Bad order): skipped").contains("1 checks imported");
        assertThat(run("import-tattle", dir.resolve("missing.csv").toString())).isEqualTo(2);
    }
}
