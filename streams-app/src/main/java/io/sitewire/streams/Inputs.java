package io.sitewire.streams;

import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.SensorReading;
import io.sitewire.events.WearableAlarm;
import io.sitewire.events.WorkerPosition;
import io.sitewire.events.WorkerPresence;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import io.sitewire.streams.support.EventSerdes;
import io.sitewire.streams.support.EventTimeExtractor;
import io.sitewire.streams.support.ValidateEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * The input streams of a topology, each created once (a topic can have only one source) and validated right after
 * its source: what comes out holds only events that decoded and passed {@code EventValidation}; the rest went to the
 * dead-letter topic. Record time is the event's own time ({@link EventTimeExtractor}).
 */
final class Inputs {

    private final StreamsBuilder builder;
    private final TopicCatalogue catalogue;
    private final EventSerdes serdes;
    private final long maxSkewMs;
    private final Map<String, KStream<String, ?>> streams = new HashMap<>();

    Inputs(final StreamsBuilder builder, final TopicCatalogue catalogue, final EventSerdes serdes, final long maxSkewMs) {
        this.builder = builder;
        this.catalogue = catalogue;
        this.serdes = serdes;
        this.maxSkewMs = maxSkewMs;
    }

    KStream<String, WorkerPosition> positions() {
        return input("positions", List.of(catalogue.workerPositions()), WorkerPosition.class);
    }

    KStream<String, WorkerPresence> presence() {
        return input("presence", List.of(catalogue.workerPresence()), WorkerPresence.class);
    }

    KStream<String, EquipmentStatus> equipment() {
        return input("equipment", List.of(catalogue.equipmentStatus()), EquipmentStatus.class);
    }

    KStream<String, SensorReading> sensorReadings() {
        return input("readings", List.of(catalogue.sensorReadings()), SensorReading.class);
    }

    KStream<String, WearableAlarm> wearableAlarms() {
        return input("wearables", List.of(catalogue.wearableAlarms()), WearableAlarm.class);
    }

    /** All broadcast priority topics as one stream. */
    KStream<String, ManualBroadcast> broadcasts() {
        return input("broadcasts", catalogue.broadcasts().topicsByUrgency(), ManualBroadcast.class);
    }

    @SuppressWarnings("unchecked")
    private <V extends SpecificRecord> KStream<String, V> input(final String name, final List<TopicSpec<V>> topics,
            final Class<V> type) {
        return (KStream<String, V>) streams.computeIfAbsent(name, n -> {
            final Supplier<ValidateEvent<V>> validate = ValidateEvent::new;
            return builder.stream(topics.stream().map(TopicSpec::name).toList(),
                            Consumed.with(Serdes.String(), serdes.of(type))
                                    .withTimestampExtractor(new EventTimeExtractor(maxSkewMs))
                                    .withName(name + "-source"))
                    .processValues(validate::get, Named.as(name + "-validate"));
        });
    }
}
