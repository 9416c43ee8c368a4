package io.sitewire.streams;

import static io.sitewire.streams.Events.alarm;
import static io.sitewire.streams.Events.allClear;
import static io.sitewire.streams.Events.at;
import static io.sitewire.streams.Events.checkIn;
import static io.sitewire.streams.Events.checkOut;
import static io.sitewire.streams.Events.evacuation;
import static io.sitewire.streams.Events.machine;
import static io.sitewire.streams.Events.position;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sitewire.events.AlarmKind;
import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.DeadLetter;
import io.sitewire.events.EquipmentState;
import io.sitewire.events.Priority;
import io.sitewire.events.RollCall;
import io.sitewire.events.WorkerPosition;
import io.sitewire.localstack.LocalStack;
import io.sitewire.localstack.SitewireStack;
import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import io.sitewire.streams.config.StreamsAppConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app on a real broker and a real registry: real Avro serdes, exactly-once, read_committed consumers, and a
 * restart of the app with the same application.id in the middle of a stream.
 */
@SitewireStack
class StreamsAppIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;
    private String run;
    private TopicCatalogue catalogue;
    private StackClients clients;
    private final List<StreamsApp> apps = new ArrayList<>();
    private final List<KafkaConsumer<?, ?>> consumers = new ArrayList<>();

    @BeforeEach
    void provision(final LocalStack stack) {
        AvroTrust.install();
        run = "it" + UUID.randomUUID().toString().substring(0, 8);
        catalogue = TopicCatalogue.withPrefix(run);
        clients = new StackClients(stack.bootstrapServers(), stack.registryUrl(), catalogue);
        clients.provision();
    }

    @AfterEach
    void stop() {
        apps.forEach(StreamsApp::close);
        consumers.forEach(KafkaConsumer::close);
        clients.close();
    }

    private StreamsApp startApp(final LocalStack stack, final Path state) {
        final StreamsAppConfig config = StreamsAppConfig.of(Map.of(
                StreamsAppConfig.APPLICATION_ID, "streams-" + run,
                StreamsAppConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers(),
                StreamsAppConfig.SCHEMA_REGISTRY_URL, stack.registryUrl(),
                StreamsAppConfig.TOPIC_PREFIX, run,
                StreamsAppConfig.STATE_DIR, state.toString(),
                // Streams does not leave the group on close; a restarted member waits for the old one's session to
                // expire (45 s by default). Shorter here, so the restart test does not wait that long.
                "kafka.session.timeout.ms", "6000"));
        final StreamsApp app = new StreamsApp(config, clients.registry);
        apps.add(app);
        app.start();
        Awaitility.await().atMost(WAIT).until(app::running);
        return app;
    }

    private KafkaConsumer<String, SpecificRecord> reader(final String name, final List<TopicSpec<?>> topics) {
        final KafkaConsumer<String, SpecificRecord> consumer = clients.committedReader(run + "-" + name, topics);
        consumers.add(consumer);
        return consumer;
    }

    /** Polls until {@code until} holds for what was read so far (or fails after WAIT); returns what was read. */
    private static <V> List<V> readUntil(final KafkaConsumer<String, SpecificRecord> consumer, final Class<V> type,
            final List<V> sink, final Predicate<List<V>> until) {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!until.test(sink)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + sink.size() + " records; the last ones: "
                        + sink.subList(Math.max(0, sink.size() - 3), sink.size()));
            }
            for (final ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(100))) {
                sink.add(type.cast(r.value()));
            }
        }
        return sink;
    }

    /** Reads for {@code quiet} more and returns anything that arrived (expected: nothing). */
    private static <V> List<V> readFor(final KafkaConsumer<String, SpecificRecord> consumer, final Class<V> type,
            final Duration quiet) {
        final List<V> extra = new ArrayList<>();
        final long end = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < end) {
            for (final ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(100))) {
                extra.add(type.cast(r.value()));
            }
        }
        return extra;
    }

    @Test
    void scriptedIncidentGivesExactlyTheExpectedAlertsOnThePriorityTopics(final LocalStack stack) {
        startApp(stack, stateDir);
        final KafkaConsumer<String, SpecificRecord> alertReader = reader("alerts", clients.alertTopics());
        final KafkaConsumer<String, SpecificRecord> stateReader = reader("state",
                List.of(catalogue.equipmentState(), catalogue.workerState(), catalogue.rollCall()));
        final KafkaConsumer<String, SpecificRecord> deadReader = reader("dead", List.of(catalogue.deadLetter()));
        final List<Alert> alerts = new ArrayList<>();
        final List<SpecificRecord> states = new ArrayList<>();
        final String p = "site-" + run;
        final long t0 = System.currentTimeMillis();

        // Given a crane (radius 30 m) and two checked-in workers, known to the app
        clients.send(machine(p, "crane-1", at(0, 0), 30, EquipmentState.OPERATIONAL, false, t0));
        clients.send(checkIn(p, "w1", "deck-1", t0));
        clients.send(checkIn(p, "w2", "deck-2", t0));
        readUntil(stateReader, SpecificRecord.class, states, s -> s.stream().filter(r ->
                r instanceof io.sitewire.events.WorkerState).count() >= 2 && s.size() >= 3);

        // When w1 walks into the swing radius and w2's helmet reports a fall
        clients.send(position(p, "w1", at(0, 20), "deck-1", t0 + 1_000));
        clients.send(position(p, "w1", at(0, 22), "deck-1", t0 + 2_000));
        clients.send(alarm(p, "w2", "helmet-2", AlarmKind.FALL, null, t0 + 3_000));
        readUntil(alertReader, Alert.class, alerts, a -> a.size() >= 2);
        // And the crane starts slewing, then w1 leaves
        clients.send(machine(p, "crane-1", at(0, 0), 30, EquipmentState.OPERATIONAL, true, t0 + 4_000));
        readUntil(alertReader, Alert.class, alerts, a -> a.size() >= 3);
        clients.send(position(p, "w1", at(0, 60), "deck-1", t0 + 5_000));
        // And an evacuation is called
        clients.send(evacuation(p, "evac-1", List.of("muster"), t0 + 6_000));
        readUntil(stateReader, SpecificRecord.class, states, s -> s.stream().anyMatch(r -> r instanceof RollCall));
        clients.send(position(p, "w1", at(-50, -50), "muster", t0 + 7_000));
        clients.send(checkOut(p, "w2", t0 + 8_000));
        readUntil(alertReader, Alert.class, alerts, a -> a.size() >= 7);
        clients.send(allClear(p, "clear-1", t0 + 9_000));

        // Then exactly these alerts, each on its priority's topic, each once
        readUntil(alertReader, Alert.class, alerts, a -> a.size() >= 10);
        alerts.addAll(readFor(alertReader, Alert.class, Duration.ofSeconds(3)));
        final String prox = "PROXIMITY:" + p + ":w1:crane-1:";
        assertThat(alerts).extracting(Alert::getAlertId, Alert::getState, Alert::getPriority).containsExactlyInAnyOrder(
                tuple(prox + (t0 + 1_000), AlertState.RAISED, Priority.URGENT),
                tuple("FALL:" + p + ":w2:helmet-2:" + (t0 + 3_000), AlertState.RAISED, Priority.EMERGENCY),
                tuple(prox + "EMERGENCY:" + (t0 + 1_000), AlertState.RAISED, Priority.EMERGENCY),
                tuple(prox + (t0 + 1_000), AlertState.CLEARED, Priority.URGENT),
                tuple(prox + "EMERGENCY:" + (t0 + 1_000), AlertState.CLEARED, Priority.EMERGENCY),
                tuple("EVACUATION:" + p + ":evac-1:" + (t0 + 6_000), AlertState.RAISED, Priority.EMERGENCY),
                tuple("ROLL_CALL:" + p + ":evac-1:" + (t0 + 6_000), AlertState.RAISED, Priority.HIGH),
                tuple("BROADCAST:" + p + ":clear-1:" + (t0 + 9_000), AlertState.RAISED, Priority.HIGH),
                tuple("EVACUATION:" + p + ":evac-1:" + (t0 + 6_000), AlertState.CLEARED, Priority.EMERGENCY),
                tuple("ROLL_CALL:" + p + ":evac-1:" + (t0 + 6_000), AlertState.CLEARED, Priority.HIGH));
        assertThat(alerts).hasSize(10);
        final long now = System.currentTimeMillis();
        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.getProjectId()).isEqualTo(p);
            assertThat(a.getRaisedAt()).as("raisedAt is the wall clock when produced").isBetween(t0, now);
        });

        // When an invalid position and undecodable bytes arrive last (nothing after them to commit with)
        clients.send(new WorkerPosition(p, "w1", 95.0, 0.0, null, null, t0 + 10_000));
        clients.sendRaw(catalogue.wearableAlarms().name(), p, new byte[] {0, 0, 0, 0, 9, 9});
        // Then both are dead letters (each once, though both instances read the wearables topic), visible to a
        // read_committed reader
        final List<DeadLetter> letters = readUntil(deadReader, DeadLetter.class, new ArrayList<>(), d -> d.size() >= 2);
        letters.addAll(readFor(deadReader, DeadLetter.class, Duration.ofSeconds(3)));
        assertThat(letters).extracting(DeadLetter::getSourceTopic)
                .containsExactlyInAnyOrder(catalogue.workerPositions().name(), catalogue.wearableAlarms().name());
        assertThat(letters).extracting(DeadLetter::getReason).anySatisfy(r -> assertThat(r).contains("lat must be within"))
                .anySatisfy(r -> assertThat(r).startsWith("Cannot decode value"));
    }

    @Test
    void restartWithTheSameApplicationIdLosesAndDuplicatesNothing(final LocalStack stack, @TempDir final Path secondStateDir) {
        final StreamsApp first = startApp(stack, stateDir);
        final KafkaConsumer<String, SpecificRecord> alertReader = reader("alerts", clients.alertTopics());
        final KafkaConsumer<String, SpecificRecord> stateReader = reader("state", List.of(catalogue.equipmentState()));
        final String p = "site-" + run;
        final long t0 = System.currentTimeMillis();
        clients.send(machine(p, "crane-1", at(0, 0), 30, EquipmentState.OPERATIONAL, false, t0));
        readUntil(stateReader, SpecificRecord.class, new ArrayList<>(), s -> !s.isEmpty());

        // Given a stream of 40 workers walking into and out of the radius, and 40 fall alarms, produced while the
        // app is stopped after the first third and a new instance (same application.id, empty state dir, so its
        // stores are restored from the changelogs) starts after the second third
        final Map<String, Integer> expected = new HashMap<>();
        // And one worker who enters before the stop and leaves after the restart: the new instance must know the
        // episode (restored store, rebuilt in-memory index) to clear it with the same id
        clients.send(position(p, "w-long", at(0, 5), t0 + 500));
        final List<Alert> alerts = readUntil(alertReader, Alert.class, new ArrayList<>(), a -> !a.isEmpty());
        expected.put("PROXIMITY:" + p + ":w-long:crane-1:" + (t0 + 500) + "/RAISED", 1);
        expected.put("PROXIMITY:" + p + ":w-long:crane-1:" + (t0 + 500) + "/CLEARED", 1);
        final int workers = 40;
        for (int i = 0; i < workers; i++) {
            final long in = t0 + 1_000 + i * 100L;
            clients.send(position(p, "w" + i, at(0, 10), in));
            clients.send(alarm(p, "w" + i, "tag-" + i, AlarmKind.FALL, null, in + 10));
            clients.send(position(p, "w" + i, at(0, 100), in + 50));
            expected.merge("PROXIMITY:" + p + ":w" + i + ":crane-1:" + in + "/RAISED", 1, Integer::sum);
            expected.merge("PROXIMITY:" + p + ":w" + i + ":crane-1:" + in + "/CLEARED", 1, Integer::sum);
            expected.merge("FALL:" + p + ":w" + i + ":tag-" + i + ":" + (in + 10) + "/RAISED", 1, Integer::sum);
            if (i == workers / 3) {
                // mid-stream: some of this third's alerts may not be out yet; a graceful close commits what was done
                first.close();
            }
            if (i == 2 * workers / 3) {
                startApp(stack, secondStateDir);
                clients.send(position(p, "w-long", at(0, 100), in));
            }
        }
        // Then every expected alert arrives, and none twice
        readUntil(alertReader, Alert.class, alerts, a -> a.size() >= expected.size());
        alerts.addAll(readFor(alertReader, Alert.class, Duration.ofSeconds(3)));
        final Map<String, Integer> seen = new HashMap<>();
        alerts.forEach(a -> seen.merge(a.getAlertId() + "/" + a.getState(), 1, Integer::sum));
        assertThat(seen).isEqualTo(expected);
    }
}
