package io.sitewire.streams.air;

import io.sitewire.events.Metric;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Display names and units of the metrics, for alert messages. */
final class Units {

    private Units() {
    }

    static String unit(final Metric metric) {
        return switch (metric) {
            case co_ppm, h2s_ppm -> "ppm";
            case o2_pct -> "%";
            case lel_pct -> "% LEL";
            case pm25_ugm3, pm10_ugm3, silica_ugm3 -> "µg/m³";
            case noise_dba -> "dBA";
            case heart_rate_bpm -> "bpm";
            default -> "";
        };
    }

    static String label(final Metric metric) {
        return switch (metric) {
            case co_ppm -> "CO";
            case h2s_ppm -> "H2S";
            case o2_pct -> "O2";
            case lel_pct -> "Flammable gas";
            case pm25_ugm3 -> "PM2.5";
            case pm10_ugm3 -> "PM10";
            case silica_ugm3 -> "Respirable silica";
            case noise_dba -> "Noise";
            default -> metric.name();
        };
    }

    /** {@code 215 ppm}, {@code 19.2 %}: at most 3 decimals, no trailing zeros. */
    static String amount(final double value, final Metric metric) {
        final String unit = unit(metric);
        return number(value) + (unit.isEmpty() ? "" : " " + unit);
    }

    /**
     * The value rounded half-up to 3 decimals, trailing zeros dropped. Same text as {@code String.format("%.3f")} with
     * the zeros stripped (which rounds the shortest decimal form of the double, as {@link BigDecimal#valueOf} gives it),
     * without the Formatter and regex work: every ceiling alert formats two or three numbers, on the stream thread.
     */
    static String number(final double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        final String s = BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        // %.3f keeps the sign of a negative value that rounds to zero ("-0.000" -> "-0"); BigDecimal has no -0
        return value < 0 && s.equals("0") || Double.doubleToRawLongBits(value) == Long.MIN_VALUE ? "-0" : s;
    }
}
