package io.tally.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Frozen version-1 blocks (each written by the encoder of its time, annotated in docs/FORMAT-BLOCK.md). Every
 * later decoder must read them to exactly these values; never edit a fixture, add new ones beside them.
 */
class BlockFormatFixturesTest {
    private static final double N = Double.NaN;

    private static void assertDecodes(String hex, double... expected) throws CorruptBlockException {
        byte[] block = HexFormat.of().parseHex(hex);
        double[] out = new double[expected.length];
        assertThat(BlockCodec.decode(block, 0, block.length, out)).isEqualTo(expected.length);
        assertThat(BlockCodec.slotCount(block, 0, block.length)).isEqualTo(expected.length);
        int present = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Double.isNaN(expected[i])) {
                assertThat(out[i]).as("slot %d", i).isNaN();
            } else {
                present++;
                assertThat(Double.doubleToRawLongBits(out[i])).as("slot %d", i)
                        .isEqualTo(Double.doubleToRawLongBits(expected[i]));
            }
        }
        assertThat(BlockCodec.presentCount(block, 0, block.length)).isEqualTo(present);
    }

    @Test
    void constant() throws Exception {
        assertDecodes("0102043fd0000000000000", 0.25, 0.25, 0.25, 0.25);
    }

    @Test
    void decimalWithGapsBitPacked() throws Exception {
        assertDecodes("010507007ac4032670222858", 12.34, 12.35, N, 12.30, N, N, 12.41);
    }

    @Test
    void xorWithSpecialValues() throws Exception {
        assertDecodes("0106053fd5555555555555c0feff5555555555555700bfffc1fbff8000000000000cff55555555555550",
                1.0 / 3, -0.0, Double.POSITIVE_INFINITY, Double.MIN_VALUE, 1.0 / 3);
    }

    @Test
    void steadyCounterAsSecondDifferences() throws Exception {
        double[] v = new double[16];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1000 + 60 * i;
        }
        assertDecodes("0104107d046404c000", v);
    }

    @Test
    void zeroRuns() throws Exception {
        double[] v = new double[40];
        for (int i = 0; i < v.length; i++) {
            v[i] = i < 25 ? 1 : 3;
        }
        assertDecodes("0104288181480a8be0", v);
    }

    @Test
    void deflatedBody() throws Exception {
        double[] v = new double[720];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 7) * 1.5;
        }
        assertDecodes("010cd005b8026b6b60fdd0f7956bd12822091d0000", v);
    }

    @Test
    void presenceRangeToTheEndWithADecimalConstant() throws Exception {
        assertDecodes("0132084c00f0", N, N, N, N, 3, 3, 3, 3);
    }

    @Test
    void presenceRangeInsideTheBlock() throws Exception {
        assertDecodes("01240a10e201933811142c", N, N, 12.34, 12.35, 12.30, 12.41, N, N, N, N);
    }

    @Test
    void presenceRangeFromTheStartWithARawConstant() throws Exception {
        assertDecodes("0122089200490fdaa22168c0", Math.PI, Math.PI, Math.PI, N, N, N, N, N);
    }

    @Test
    void allAbsent() throws Exception {
        assertDecodes("01010501b0", N, N, N, N, N);
    }

    @Test
    void negativeScale() throws Exception {
        assertDecodes("0104033402d039401040", 3e20, 1e20, 7.5e20);
    }

    @Test
    void riceWithAnOutlier() throws Exception {
        long[] steps = {0, 3, -1, 40, -2, 0, 1, -7, 2, 0, 0, 5, -1, 1, -30, 2, 0, 1, -1, 3, 0, -2, 9, 1};
        double[] v = new double[steps.length];
        long m = 500;
        for (int i = 0; i < steps.length; i++) {
            m += steps[i];
            v[i] = m / 10.0;
        }
        assertDecodes("01041885457d00a0d0ffeca2172118187f52103415c000", v);
    }

    @Test
    void singlePoint() throws Exception {
        assertDecodes("01050500be2019348000", N, N, N, 12.34, N);
    }

    // ---- added with the rational form (flag 0x10); frozen like the ones above

    @Test
    void rationalAveragesOfIntegers() throws Exception {
        assertDecodes("011506007664101381412ca00005000007a11e00",
                7.0 / 6, 8.0 / 6, N, 13.0 / 6, 12.0 / 6, 1000001.0 / 6);
    }

    @Test
    void rationalWithResiduals() throws Exception {
        // averages of six 2-decimal samples; three of them are 1 ulp off decimal(K, 2) / 6
        assertDecodes("01140836241dd2e09cf05f23506f8100049d00",
                12.450000000000001, 12.844999999999999, 13.203333333333333, 13.591666666666669,
                13.963333333333333, 14.33, 14.725000000000001, 15.069999999999999);
    }
}
