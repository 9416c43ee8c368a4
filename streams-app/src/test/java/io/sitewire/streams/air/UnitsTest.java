package io.sitewire.streams.air;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.events.Metric;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnitsTest {

    /** The text alert messages have always had: {@code %.3f} with trailing zeros and a trailing point removed. */
    private static String formatted(final double value) {
        final String s = String.format(Locale.ROOT, "%.3f", value);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    @Test
    void givenTypicalReadings_whenFormatted_thenAtMostThreeDecimalsWithoutTrailingZeros() {
        assertThat(Units.number(215)).isEqualTo("215");
        assertThat(Units.number(19.2)).isEqualTo("19.2");
        assertThat(Units.number(0.15)).isEqualTo("0.15");
        assertThat(Units.number(1.0005)).isEqualTo("1.001");
        assertThat(Units.number(0.0004)).isEqualTo("0");
        assertThat(Units.number(-0.0004)).isEqualTo("-0");
        assertThat(Units.amount(260, Metric.co_ppm)).isEqualTo("260 ppm");
    }

    @Test
    void givenSeededRandomValues_whenFormatted_thenSameTextAsTheFormatterVersion() {
        final long seed = 20_261_126L;
        final Random random = new Random(seed);
        for (int i = 0; i < 100_000; i++) {
            final double value = switch (i % 6) {
                case 0 -> random.nextDouble() * 1_000;
                case 1 -> random.nextInt(2_000_000) / 10_000.0; // four decimals: ties at the fourth
                case 2 -> (random.nextInt(2_000_000) - 1_000_000) / 2_000.0; // negative and half-thousandths
                case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(16) - 6);
                case 4 -> Double.longBitsToDouble(random.nextLong());
                default -> random.nextInt(1_000) + (random.nextInt(10) * 0.1) + 0.0005;
            };
            assertThat(Units.number(value)).as("value %s (bits %x), seed %d, try %d", value,
                    Double.doubleToRawLongBits(value), seed, i).isEqualTo(formatted(value));
        }
        for (final double special : new double[] {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE}) {
            assertThat(Units.number(special)).as("value %s", special).isEqualTo(formatted(special));
        }
    }
}
