package io.tally.query;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a python3 one-liner over bytes on stdin, for decoding what Tally writes; skips the test without python3. */
final class Python {
    private Python() {
    }

    /** Unpickles {@code bytes} and prints it as JSON (sorted keys; NaN/inf as Python's json writes them). */
    static String unpickleToJson(byte[] bytes) throws Exception {
        return run("import pickle,sys,json; print(json.dumps(pickle.load(sys.stdin.buffer), sort_keys=True))", bytes);
    }

    static String run(String code, byte[] stdin) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", code).start();
        } catch (IOException notInstalled) {
            Assumptions.abort("python3 is not installed");
            throw notInstalled;
        }
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("python3 failed: " + err);
        }
        return out.strip();
    }
}
