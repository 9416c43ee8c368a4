package io.sitewire.streams;

import io.sitewire.events.Alert;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.RollCall;
import io.sitewire.events.WorkerState;
import io.sitewire.events.ZoneHeadcount;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import io.sitewire.streams.air.AirQualityRules;
import io.sitewire.streams.config.StreamsAppConfig;
import io.sitewire.streams.config.StreamsAppConfig.Instance;
import io.sitewire.streams.emergency.BroadcastAlerts;
import io.sitewire.streams.emergency.WearableAlarmAlerts;
import io.sitewire.streams.noise.NoiseRules;
import io.sitewire.streams.site.SiteProcessor;
import io.sitewire.streams.support.EventSerdes;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The whole streams app as a {@link Topology}: pure (builds, does no I/O), used by {@link StreamsApp} and by every
 * TopologyTestDriver test.
 *
 * <p>Two parts, which {@link StreamsApp} by default runs as two KafkaStreams instances (see docs/rules.md, Latency):
 * <ul>
 * <li>EMERGENCY: wearable alarms (rule 4) and broadcasts (rule 6) straight from their source topics to the alert topics,
 *     no repartition, no window; wearables are enriched from a global table of the worker-state topic.</li>
 * <li>SITE: everything keyed by project in one per-project task (rules 1 and 5, {@link SiteProcessor}). Positions are
 *     read directly (the busiest, latency-relevant input); the other inputs are repartitioned by projectId to the
 *     positions topic's partition count, so that a project's events meet in one task whatever their topics'
 *     partition counts. Air-quality and noise rules (rules 2 and 3, {@link AirQualityRules}, {@link NoiseRules})
 *     hang off the validated sensor-reading stream (no repartition) and their alerts merge with the site's.</li>
 * </ul>
 * Every alert goes to {@code catalogue.alerts().topic(alert.priority)}, key projectId. Every processor, store and
 * repartition topic is named (enforced: {@code ensure.explicit.internal.resource.naming=true}).
 */
public final class AlertsTopology {

    /** Global store of the worker-state topic, read by the wearable rule. */
    public static final String WORKER_STATE_GLOBAL_STORE = "emergency-worker-state";

    private AlertsTopology() {
    }

    /** Both parts in one topology. */
    public static Topology build(final StreamsAppConfig config, final SchemaRegistryClient registry) {
        return build(config, registry, Instance.ALL);
    }

    /** The part of the app one KafkaStreams instance runs. */
    public static Topology build(final StreamsAppConfig config, final SchemaRegistryClient registry,
            final Instance instance) {
        final StreamsBuilder builder = new StreamsBuilder(
                new TopologyConfig(new StreamsConfig(config.streamsProperties(instance))));
        final TopicCatalogue catalogue = config.catalogue();
        final EventSerdes serdes = new EventSerdes(registry);
        final Inputs inputs = new Inputs(builder, catalogue, serdes, config.maxEventTimeSkewMs());
        if (instance != Instance.SITE) {
            emergency(builder, inputs, catalogue, serdes);
        }
        if (instance != Instance.EMERGENCY) {
            site(inputs, config, catalogue, serdes, registry);
        }
        return builder.build();
    }

    private static void emergency(final StreamsBuilder builder, final Inputs inputs, final TopicCatalogue catalogue,
            final EventSerdes serdes) {
        builder.globalTable(catalogue.workerState().name(),
                Consumed.with(Serdes.String(), serdes.of(WorkerState.class)).withName("emergency-worker-state-source"),
                Materialized.<String, WorkerState, KeyValueStore<Bytes, byte[]>>as(WORKER_STATE_GLOBAL_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(serdes.of(WorkerState.class))
                        .withCachingDisabled());
        final KStream<String, Alert> wearables = inputs.wearableAlarms()
                .processValues(() -> new WearableAlarmAlerts(WORKER_STATE_GLOBAL_STORE), Named.as("emergency-wearable-alerts"));
        final KStream<String, Alert> broadcasts = inputs.broadcasts()
                .processValues(BroadcastAlerts::new, Named.as("emergency-broadcast-alerts"));
        wearables.merge(broadcasts, Named.as("emergency-alerts"))
                .to(byPriority(catalogue), Produced.with(Serdes.String(), serdes.of(Alert.class)).withName("emergency-alerts-sink"));
    }

    private static void site(final Inputs inputs, final StreamsAppConfig config, final TopicCatalogue catalogue,
            final EventSerdes serdes, final SchemaRegistryClient registry) {
        final int partitions = catalogue.workerPositions().partitions();
        final KStream<String, SpecificRecord> events = inputs.positions()
                .mapValues(v -> (SpecificRecord) v, Named.as("site-positions"))
                .merge(toSite("presence", inputs.presence(), serdes.of(io.sitewire.events.WorkerPresence.class), partitions),
                        Named.as("site-merge-presence"))
                .merge(toSite("equipment", inputs.equipment(), serdes.of(EquipmentStatus.class), partitions),
                        Named.as("site-merge-equipment"))
                .merge(toSite("worker-readings", inputs.sensorReadings()
                                .filter((k, r) -> r.getWorkerId() != null, Named.as("site-readings-with-worker")),
                        serdes.of(io.sitewire.events.SensorReading.class), partitions), Named.as("site-merge-readings"))
                .merge(toSite("wearables", inputs.wearableAlarms(), serdes.of(io.sitewire.events.WearableAlarm.class),
                        partitions), Named.as("site-merge-wearables"))
                .merge(toSite("evacuations", inputs.broadcasts().filter((k, b) -> b.getKind() == BroadcastKind.EVACUATION
                                || b.getKind() == BroadcastKind.ALL_CLEAR, Named.as("site-evacuation-broadcasts")),
                        serdes.of(io.sitewire.events.ManualBroadcast.class), partitions), Named.as("site-merge-evacuations"));

        final Map<String, KStream<String, SpecificRecord>> out = events
                .process(SiteProcessor.supplier(config.rules(), serdes), Named.as("site-processor"))
                .split(Named.as("site-out-"))
                .branch((k, v) -> v instanceof Alert, Branched.as("alerts"))
                .branch((k, v) -> v instanceof WorkerState, Branched.as("workers"))
                .branch((k, v) -> v instanceof EquipmentStatus, Branched.as("equipment"))
                .branch((k, v) -> v instanceof ZoneHeadcount, Branched.as("headcount"))
                .branch((k, v) -> v instanceof RollCall, Branched.as("roll-call"))
                .noDefaultBranch();
        sink(out.get("site-out-workers"), catalogue.workerState(), serdes, "site-worker-state");
        sink(out.get("site-out-equipment"), catalogue.equipmentState(), serdes, "site-equipment-state");
        sink(out.get("site-out-headcount"), catalogue.headcount(), serdes, "site-headcount");
        sink(out.get("site-out-roll-call"), catalogue.rollCall(), serdes, "site-roll-call");

        final KStream<String, Alert> siteAlerts = out.get("site-out-alerts").mapValues(v -> (Alert) v, Named.as("site-alerts"));

        // Rules 2 and 3 (packages io.sitewire.streams.air / .noise) on the validated sensor readings, merged here.
        final KStream<String, Alert> alerts = siteAlerts
                .merge(AirQualityRules.build(inputs.sensorReadings(), config.rules().air(), registry),
                        Named.as("site-merge-air-alerts"))
                .merge(NoiseRules.build(inputs.sensorReadings(), config.rules().noise(), registry),
                        Named.as("site-merge-noise-alerts"));
        alerts.to(byPriority(catalogue), Produced.with(Serdes.String(), serdes.of(Alert.class)).withName("site-alerts-sink"));
    }

    /** Repartitions an input by projectId onto the site's partition count and widens it to the site's event type. */
    private static <V extends SpecificRecord> KStream<String, SpecificRecord> toSite(final String name,
            final KStream<String, V> stream, final org.apache.kafka.common.serialization.Serde<V> serde, final int partitions) {
        return stream
                .repartition(Repartitioned.<String, V>as("site-" + name)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(serde)
                        .withNumberOfPartitions(partitions))
                .mapValues(v -> (SpecificRecord) v, Named.as("site-" + name + "-event"));
    }

    @SuppressWarnings("unchecked")
    private static <V extends SpecificRecord> void sink(final KStream<String, SpecificRecord> stream,
            final TopicSpec<V> topic, final EventSerdes serdes, final String name) {
        stream.mapValues(v -> (V) v, Named.as(name + "-typed"))
                .to(topic.name(), Produced.with(Serdes.String(), serdes.of(topic.valueType())).withName(name + "-sink"));
    }

    /** Each alert to the topic of its priority. */
    static TopicNameExtractor<String, Alert> byPriority(final TopicCatalogue catalogue) {
        return (key, alert, context) -> catalogue.alerts().topic(alert.getPriority()).name();
    }
}
