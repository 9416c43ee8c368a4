package io.sitewire.streams.air;

import static io.sitewire.streams.air.support.RuleHarness.BASE;
import static io.sitewire.streams.air.support.RuleHarness.SECOND;

import io.sitewire.events.Alert;
import io.sitewire.events.Metric;
import io.sitewire.events.SensorReading;
import io.sitewire.streams.air.support.DirectProcessorRunner;
import io.sitewire.streams.air.support.RuleHarness;
import io.sitewire.streams.noise.NoiseConfig;
import io.sitewire.streams.noise.NoiseProcessors;
import io.sitewire.streams.noise.NoiseRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.junit.jupiter.api.Test;

/**
 * Throughput of the rules. Not a test (surefire runs *Test); run it with
 * {@code mvn -B -q -pl streams-app -am verify -Dtest=AirNoiseBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}.
 *
 * <p>"direct": one processor on its own stores (RocksDB / in-memory, changelog off), no Avro, no driver: the rule's
 * own cost. "driver": both families in a TopologyTestDriver with Avro serdes (the driver itself dominates).
 */
class AirNoiseBenchmark {

    private static final Metric[] GAS = {Metric.co_ppm, Metric.h2s_ppm, Metric.silica_ugm3, Metric.pm25_ugm3, Metric.o2_pct};

    @Test
    void run() throws Exception {
        final List<SensorReading> oneSite = readings(1, 250, 50, 4 * 3600, 10);
        final List<SensorReading> manySites = readings(50, 5, 1, 4 * 3600, 10);
        for (int round = 0; round < 2; round++) {
            direct("ceilings, 1 site x 300 sensors", () -> CeilingProcessor.supplier(AirQualityConfig.defaults()), oneSite);
            direct("windows,  1 site x 300 sensors", () -> WindowProcessor.supplier(AirQualityConfig.defaults()), oneSite);
            direct("dose,     1 site x 300 sensors", () -> NoiseProcessors.dose(NoiseConfig.defaults()), oneSite);
            direct("windows,  50 sites x 6 sensors", () -> WindowProcessor.supplier(AirQualityConfig.defaults()), manySites);
            direct("dose,     50 sites x 6 sensors", () -> NoiseProcessors.dose(NoiseConfig.defaults()), manySites);
        }
        driver("air + noise, 1 site x 300 sensors", oneSite.subList(0, oneSite.size() / 2));
    }

    /** Gas mostly low with rare spikes, dosimeters 75-100 dBA; each sensor every {@code period} s with jitter. */
    private static List<SensorReading> readings(final int projects, final int gas, final int dosimeters, final int seconds,
            final int period) {
        final Random random = new Random(1);
        final List<SensorReading> out = new ArrayList<>();
        for (long s = 0; s < seconds; s += period) {
            final long t = BASE + s * SECOND;
            for (int p = 0; p < projects; p++) {
                for (int g = 0; g < gas; g++) {
                    final Metric m = GAS[g % GAS.length];
                    final boolean spike = random.nextInt(2000) == 0;
                    final double v = switch (m) {
                        case o2_pct -> spike ? 18.5 : 20.9 - random.nextDouble() * 0.3;
                        case co_ppm -> spike ? 250 : random.nextDouble() * 40;
                        case h2s_ppm -> spike ? 30 : random.nextDouble() * 4;
                        default -> random.nextDouble() * 40;
                    };
                    out.add(RuleHarness.reading("bench-" + p, "g" + g, "z" + (g % 10), m, v, t + random.nextInt(period * 500)));
                }
                for (int d = 0; d < dosimeters; d++) {
                    out.add(RuleHarness.worn("bench-" + p, "d" + d, "w" + d, "z" + (d % 10), Metric.noise_dba,
                            75 + random.nextDouble() * 25, t + random.nextInt(period * 500)));
                }
            }
        }
        return out;
    }

    private static void direct(final String label,
            final Supplier<FixedKeyProcessorSupplier<String, SensorReading, Alert>> supplier, final List<SensorReading> rs)
            throws Exception {
        try (DirectProcessorRunner runner = new DirectProcessorRunner(supplier.get(), BASE + 30L * 24 * 3600 * 1000)) {
            final long start = System.nanoTime();
            for (final SensorReading r : rs) {
                runner.process(r);
            }
            final double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "BENCH direct %s: %d readings in %.2f s = %.0f readings/s (%.1f µs each); %d alerts%n",
                    label, rs.size(), secs, rs.size() / secs, secs * 1e6 / rs.size(), runner.forwarded());
        }
    }

    private static void driver(final String label, final List<SensorReading> rs) {
        try (RuleHarness h = new RuleHarness("bench", (in, registry) -> AirQualityRules
                .build(in, AirQualityConfig.defaults(), registry)
                .merge(NoiseRules.build(in, NoiseConfig.defaults(), registry)))) {
            final int warm = rs.size() / 10;
            h.sendAll(rs.subList(0, warm));
            int alerts = h.alerts().size();
            final long start = System.nanoTime();
            h.sendAll(rs.subList(warm, rs.size()));
            alerts += h.alerts().size();
            final double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "BENCH driver %s: %d readings in %.2f s = %.0f readings/s; %d alerts%n",
                    label, rs.size() - warm, secs, (rs.size() - warm) / secs, alerts);
        }
    }
}
