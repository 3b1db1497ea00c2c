package io.tally.bench.load;

import java.nio.ByteBuffer;

/** The load generator's plaintext lines as heap arrays, for in-process runs outside this package. */
public final class WorkloadLines {
    private WorkloadLines() {
    }

    /**
     * The realistic workload (seed 42, 10 s step) as {@code [connection][step]} arrays of whole lines, exactly the
     * bytes the generator would send.
     */
    public static byte[][][] encode(int series, int points, long startEpoch, int connections) {
        Workload w = new Workload(series, points, 10, startEpoch, 42, Workload.Shape.REALISTIC, connections);
        ByteBuffer[][] chunks = w.encode();
        byte[][][] out = new byte[connections][points][];
        for (int c = 0; c < connections; c++) {
            for (int p = 0; p < points; p++) {
                ByteBuffer b = chunks[c][p];
                out[c][p] = new byte[b.remaining()];
                b.get(out[c][p]);
                chunks[c][p] = null;
            }
        }
        return out;
    }
}
