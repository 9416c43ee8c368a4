package io.sitewire.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.Metric;
import io.sitewire.events.Priority;
import io.sitewire.events.SensorReading;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The air-quality and noise rules through the real app on the embedded broker and registry (exactly-once,
 * read_committed): a scripted two hours of readings with explicit event times gives exactly the expected alerts on
 * the priority topics, the same ones the TopologyTestDriver computes for the same script.
 */
@SitewireStack
class AirNoiseIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long MINUTE = 60_000;
    private static final long TWO_HOURS = 2 * 60 * MINUTE;
    /** Zone roll-ups are covered by the driver tests; off here so that every alert below is one sensor's or worker's. */
    private static final Map<String, String> RULES = Map.of("air.zone.rollup", "false", "noise.zone.rollup", "false",
            "noise.shift.length", "PT2H");

    @TempDir
    Path stateDir;
    @TempDir
    Path driverStateDir;
    private String run;
    private TopicCatalogue catalogue;
    private StackClients clients;
    private StreamsApp app;
    private KafkaConsumer<String, SpecificRecord> reader;

    @BeforeEach
    void provision(final LocalStack stack) {
        AvroTrust.install();
        run = "an" + UUID.randomUUID().toString().substring(0, 8);
        catalogue = TopicCatalogue.withPrefix(run);
        clients = new StackClients(stack.bootstrapServers(), stack.registryUrl(), catalogue);
        clients.provision();
    }

    @AfterEach
    void stop() {
        if (reader != null) {
            reader.close();
        }
        if (app != null) {
            app.close();
        }
        clients.close();
    }

    /**
     * Minute by minute from a shift start B (two-hour shifts), all in the past (readings dated after the wall clock are
     * dropped): a dosimeter of worker w1 at 100 dBA for 70 minutes, then 70 dBA; an H2S sensor at 8 ppm from minute 5 to
     * 24, else 0.5 ppm; a CO spike of 250 ppm at minute 3; an LEL of 12 % at minute 6. Until B + 125 min, so that the
     * watermark (clock - 2 min grace) passes the shift's end.
     */
    private static List<SensorReading> script(final String p, final long b) {
        final List<SensorReading> readings = new ArrayList<>();
        for (int m = 0; m <= 125; m++) {
            final long t = b + m * MINUTE;
            readings.add(new SensorReading(p, "dosimeter-1", "deck-1", Metric.noise_dba, m < 70 ? 100.0 : 70.0, "w1", t));
            readings.add(new SensorReading(p, "h2s-1", "tunnel", Metric.h2s_ppm, m >= 5 && m < 25 ? 8.0 : 0.5, null, t));
            if (m < 10) {
                readings.add(new SensorReading(p, "co-1", "tunnel", Metric.co_ppm, m == 3 ? 250.0 : 5.0, null, t));
                readings.add(new SensorReading(p, "lel-1", "tunnel", Metric.lel_pct, m == 6 ? 12.0 : 1.0, null, t));
            }
        }
        return readings;
    }

    @Test
    void scriptedGasAndNoiseReadingsGiveExactlyTheExpectedAlertsAndTheirClears() {
        final String p = "site-" + run;
        final long now = System.currentTimeMillis();
        final long b = (now - 3 * TWO_HOURS / 2) / TWO_HOURS * TWO_HOURS - TWO_HOURS;
        final List<SensorReading> script = script(p, b);

        // Given the app on the real broker, and the same topology in the TopologyTestDriver (its wall clock set to now)
        app = new StreamsApp(clients.appConfig(stateDir, RULES), clients.registry);
        app.start();
        Awaitility.await().atMost(WAIT).until(app::running);
        reader = clients.committedReader(run + "-alerts", clients.alertTopics());
        final List<Alert> expected;
        try (Harness driver = new Harness(driverStateDir, RULES)) {
            driver.advanceWallClock(Duration.ofMillis(now - Harness.T0));
            script.forEach(driver::pipe);
            expected = driver.alerts();
        }

        // When the script is produced, in event-time order
        script.forEach(clients::sendAsync);
        clients.flush();

        // Then exactly these alerts, each once, on its priority's topic
        final List<Alert> alerts = new ArrayList<>();
        final List<String> misrouted = new ArrayList<>();
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (alerts.size() < expected.size() && System.nanoTime() < deadline) {
            poll(alerts, misrouted, Duration.ofMillis(200));
        }
        final long quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < quietUntil) {
            poll(alerts, misrouted, Duration.ofMillis(100));
        }
        assertThat(misrouted).isEmpty();
        assertThat(alerts).extracting(Alert::getRule, Alert::getState, Alert::getPriority).containsExactlyInAnyOrder(
                tuple("air.lel.ceiling", AlertState.RAISED, Priority.EMERGENCY),
                tuple("air.lel.ceiling", AlertState.CLEARED, Priority.EMERGENCY),
                tuple("air.co.ceiling", AlertState.RAISED, Priority.URGENT),
                tuple("air.co.ceiling", AlertState.CLEARED, Priority.URGENT),
                tuple("air.h2s.stel", AlertState.RAISED, Priority.HIGH),
                tuple("air.h2s.stel", AlertState.CLEARED, Priority.HIGH),
                tuple("noise.dose.action", AlertState.RAISED, Priority.NORMAL),
                tuple("noise.dose.action", AlertState.CLEARED, Priority.NORMAL));
        // The ceilings open on the reading itself and clear on the next one inside the clear level
        assertThat(alerts).extracting(Alert::getAlertId, Alert::getState, Alert::getSourceTime).contains(
                tuple("GAS_CEILING:" + p + ":lel-1:lel_pct:" + (b + 6 * MINUTE), AlertState.RAISED, b + 6 * MINUTE),
                tuple("GAS_CEILING:" + p + ":lel-1:lel_pct:" + (b + 6 * MINUTE), AlertState.CLEARED, b + 7 * MINUTE),
                tuple("GAS_CEILING:" + p + ":co-1:co_ppm:" + (b + 3 * MINUTE), AlertState.RAISED, b + 3 * MINUTE),
                tuple("GAS_CEILING:" + p + ":co-1:co_ppm:" + (b + 3 * MINUTE), AlertState.CLEARED, b + 4 * MINUTE));
        // The noise dose of w1 clears when the shift ends
        assertThat(alerts).filteredOn(a -> a.getRule().equals("noise.dose.action") && a.getState() == AlertState.CLEARED)
                .extracting(Alert::getSourceTime, Alert::getWorkerId).containsExactly(tuple(b + TWO_HOURS, "w1"));
        // And the windowed ids and times are exactly what the driver computes from the same readings
        assertThat(alerts).extracting(Alert::getAlertId, Alert::getState, Alert::getPriority, Alert::getSourceTime)
                .containsExactlyInAnyOrderElementsOf(expected.stream()
                        .map(a -> tuple(a.getAlertId(), a.getState(), a.getPriority(), a.getSourceTime())).toList());
    }

    private void poll(final List<Alert> alerts, final List<String> misrouted, final Duration timeout) {
        for (final ConsumerRecord<String, SpecificRecord> r : reader.poll(timeout)) {
            final Alert alert = (Alert) r.value();
            if (!r.topic().equals(catalogue.alerts().topic(alert.getPriority()).name())) {
                misrouted.add(alert.getAlertId() + " on " + r.topic());
            }
            alerts.add(alert);
        }
    }
}
