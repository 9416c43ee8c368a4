package io.sitewire.gateway.dashboard;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.EquipmentState;
import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.EquipmentType;
import io.sitewire.events.Priority;
import io.sitewire.events.RollCall;
import io.sitewire.events.WorkerPosition;
import io.sitewire.events.WorkerState;
import io.sitewire.events.WorkerStatus;
import io.sitewire.events.ZoneHeadcount;
import io.sitewire.schemas.topics.KeyLayout;
import io.sitewire.schemas.topics.RecordRouting;
import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the browser test asks for, produced to Kafka the way the streams app and the devices would: worker
 * fixes and states, equipment status, headcount, alerts (raised, cleared), a roll call. Every call returns once
 * the broker has acknowledged its records (acks=all), and answers what it produced, so the browser side can
 * check the page against the records themselves.
 */
public final class SiteScript {

    /** A site in Munich; workers and machines are placed in metres east / north of it. */
    private static final double LAT = 48.1372;
    private static final double LNG = 11.5756;

    private final String projectId;
    private final TopicCatalogue catalogue;
    private final RecordRouting routing;
    private final Producer<String, SpecificRecord> producer;
    private final AtomicInteger alertSeq = new AtomicInteger();
    private final Map<String, Alert> raised = new ConcurrentHashMap<>();

    public SiteScript(final String projectId, final TopicCatalogue catalogue, final Producer<String, SpecificRecord> producer) {
        this.projectId = projectId;
        this.catalogue = catalogue;
        this.routing = new RecordRouting(catalogue);
        this.producer = producer;
    }

    /**
     * Registers the value schema of every alert topic and loads the producer's metadata for them, as the streams
     * app on a running site has long done, so that the emergency's timing measures the path to the page rather
     * than a first schema registration.
     */
    public void prepare(final Serializer<SpecificRecord> serializer) {
        final Alert sample = Alert.newBuilder().setAlertId("warm-up").setType(AlertType.OTHER).setPriority(Priority.LOW)
                .setState(AlertState.RAISED).setProjectId(projectId).setRule("warm-up").setMessage("warm-up")
                .setSourceTime(0L).setRaisedAt(0L).build();
        for (final TopicSpec<Alert> topic : catalogue.alerts().topicsByUrgency()) {
            serializer.serialize(topic.name(), sample);
            producer.partitionsFor(topic.name());
        }
    }

    private static double lat(final double northM) {
        return LAT + northM / 111_132.0;
    }

    private static double lng(final double eastM) {
        return LNG + eastM / (111_320.0 * Math.cos(Math.toRadians(LAT)));
    }

    /** Worker fixes and states, three machines, headcount per zone and the total. */
    Map<String, Object> positions() throws Exception {
        final long now = System.currentTimeMillis();
        final Object[][] workers = {
            {"w-ana", "north", "carpenter", 10.0, 40.0}, {"w-ben", "north", "electrician", 22.0, 48.0},
            {"w-cem", "north", "carpenter", 30.0, 36.0}, {"w-dia", "south", "ironworker", 5.0, -20.0},
            {"w-eli", "south", "ironworker", 18.0, -28.0}, {"w-fay", "crane-pad", "rigger", 60.0, 5.0},
        };
        final List<Future<RecordMetadata>> acks = new ArrayList<>();
        final List<Map<String, Object>> placed = new ArrayList<>();
        final Map<String, Integer> perZone = new LinkedHashMap<>();
        for (int i = 0; i < workers.length; i++) {
            final String id = (String) workers[i][0];
            final String zone = (String) workers[i][1];
            final double lat = lat((Double) workers[i][4]);
            final double lng = lng((Double) workers[i][3]);
            acks.add(state(catalogue.workerState().name(), KeyLayout.join(projectId, id), WorkerState.newBuilder()
                    .setProjectId(projectId).setWorkerId(id).setCheckedIn(true)
                    .setStatus(i == 4 ? WorkerStatus.BREAK : WorkerStatus.ACTIVE).setZone(zone)
                    .setTrade((String) workers[i][2]).setLat(lat).setLng(lng).setLastSeen(now - 1000 + i).build()));
            acks.add(publish(WorkerPosition.newBuilder().setProjectId(projectId).setWorkerId(id).setLat(lat).setLng(lng)
                    .setAccuracyM(3.0).setZone(zone).setEventTime(now - 1000 + i).build()));
            placed.add(Map.of("workerId", id, "lat", lat, "lng", lng, "zone", zone));
            perZone.merge(zone, 1, Integer::sum);
        }
        final List<EquipmentStatus> machines = List.of(
                machine("crane-1", EquipmentType.CRANE, EquipmentState.OPERATIONAL, true, 55, 12, 25.0, now),
                machine("excavator-2", EquipmentType.EXCAVATOR, EquipmentState.OPERATIONAL, false, 0, -40, 8.0, now),
                machine("loader-3", EquipmentType.LOADER, EquipmentState.IDLE, false, -20, 20, 6.0, now));
        final List<Map<String, Object>> equipment = new ArrayList<>();
        for (final EquipmentStatus e : machines) {
            acks.add(publish(e));
            equipment.add(Map.of("equipmentId", e.getEquipmentId(), "lat", e.getLat(), "lng", e.getLng(),
                    "safetyRadiusM", e.getSafetyRadiusM(), "moving", e.getMoving(), "status", e.getStatus().name()));
        }
        final List<Map<String, Object>> headcount = new ArrayList<>();
        perZone.put("*", workers.length);
        for (final Map.Entry<String, Integer> z : perZone.entrySet()) {
            acks.add(state(catalogue.headcount().name(), KeyLayout.join(projectId, z.getKey()), ZoneHeadcount.newBuilder()
                    .setProjectId(projectId).setZone(z.getKey()).setCount(z.getValue()).setUpdatedAt(now).build()));
            headcount.add(Map.of("zone", z.getKey(), "count", z.getValue()));
        }
        awaitAll(acks);
        return Map.of("workers", placed, "equipment", equipment, "headcount", headcount);
    }

    private EquipmentStatus machine(final String id, final EquipmentType type, final EquipmentState status, final boolean moving,
                                    final double eastM, final double northM, final double radius, final long now) {
        return EquipmentStatus.newBuilder().setProjectId(projectId).setEquipmentId(id).setType(type).setStatus(status)
                .setMoving(moving).setOperatorId(status == EquipmentState.IDLE ? null : "op-" + id).setLat(lat(northM))
                .setLng(lng(eastM)).setSafetyRadiusM(radius).setEventTime(now).build();
    }

    /** An SOS from a worker: EMERGENCY. */
    Map<String, Object> emergency() throws Exception {
        final long now = System.currentTimeMillis();
        final String id = projectId + "-sos-" + alertSeq.incrementAndGet();
        final Alert alert = Alert.newBuilder().setAlertId(id).setType(AlertType.SOS).setPriority(Priority.EMERGENCY)
                .setState(AlertState.RAISED).setProjectId(projectId).setZone("north").setWorkerId("w-ben")
                .setRule("wearable.sos").setMessage("SOS pressed by w-ben in north").setLat(lat(48)).setLng(lng(22))
                .setSourceTime(now - 40).setRaisedAt(now).build();
        raised.put(id, alert);
        awaitAll(List.of(publish(alert)));
        return Map.of("alertId", id);
    }

    /** {@code count} proximity alerts: HIGH. */
    Map<String, Object> alerts(final int count) throws Exception {
        final long now = System.currentTimeMillis();
        final List<Future<RecordMetadata>> acks = new ArrayList<>();
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final int n = alertSeq.incrementAndGet();
            final String id = projectId + "-prox-" + n;
            final Alert alert = Alert.newBuilder().setAlertId(id).setType(AlertType.PROXIMITY).setPriority(Priority.HIGH)
                    .setState(AlertState.RAISED).setProjectId(projectId).setZone("crane-pad").setWorkerId("w-fay")
                    .setEquipmentId("crane-1").setValue(14.0).setLimit(25.0).setRule("proximity.outer")
                    .setLimitSource("site rule: crane slew radius").setMessage("w-fay 14 m from crane-1 (#" + n + ")")
                    .setLat(lat(5)).setLng(lng(60)).setSourceTime(now - 40 + i).setRaisedAt(now + i).build();
            raised.put(id, alert);
            acks.add(publish(alert));
            ids.add(id);
        }
        awaitAll(acks);
        return Map.of("alertIds", ids);
    }

    /** The CLEARED record of an alert raised before (same alertId: same episode). */
    Map<String, Object> clear(final String alertId) throws Exception {
        final Alert alert = raised.get(alertId);
        if (alert == null) {
            throw new IllegalArgumentException("no alert " + alertId + " was raised here");
        }
        final Alert cleared = Alert.newBuilder(alert).setState(AlertState.CLEARED).setRaisedAt(System.currentTimeMillis())
                .setMessage(alert.getMessage() + " (cleared)").build();
        awaitAll(List.of(publish(cleared)));
        return Map.of("alertId", alertId);
    }

    /** An active evacuation roll call with one worker missing. */
    Map<String, Object> evacuation() throws Exception {
        final long now = System.currentTimeMillis();
        final List<String> accounted = List.of("w-ana", "w-cem", "w-dia", "w-eli", "w-fay");
        final List<String> missing = List.of("w-ben");
        final RollCall call = RollCall.newBuilder().setProjectId(projectId).setEvacuationId("evac-" + now).setActive(true)
                .setMusterZones(List.of("gate-a")).setAccounted(accounted).setMissing(missing).setStartedAt(now - 60_000)
                .setUpdatedAt(now).build();
        awaitAll(List.of(state(catalogue.rollCall().name(), projectId, call)));
        return Map.of("evacuationId", call.getEvacuationId(), "accounted", accounted, "missing", missing);
    }

    private Future<RecordMetadata> publish(final SpecificRecord record) {
        return producer.send(new ProducerRecord<>(routing.topicFor(record).name(), routing.keyFor(record), record));
    }

    private Future<RecordMetadata> state(final String topic, final String key, final SpecificRecord record) {
        return producer.send(new ProducerRecord<>(topic, key, record));
    }

    private void awaitAll(final List<Future<RecordMetadata>> acks) throws Exception {
        producer.flush();
        for (final Future<RecordMetadata> ack : acks) {
            ack.get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
