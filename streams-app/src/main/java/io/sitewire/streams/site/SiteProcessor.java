package io.sitewire.streams.site;

import io.sitewire.events.EquipmentStatus;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.PresenceAction;
import io.sitewire.events.SensorReading;
import io.sitewire.events.WearableAlarm;
import io.sitewire.events.WorkerPosition;
import io.sitewire.events.WorkerPresence;
import io.sitewire.streams.config.RuleSettings;
import io.sitewire.streams.support.EventSerdes;
import java.time.Duration;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The per-project site processor: every input of a project (positions, presence, machines, wearable readings and alarms,
 * evacuation broadcasts) reaches the same task, keyed by projectId, so one task holds the project's workers, machines,
 * proximity episodes and evacuation in its stores. Rules 1 (proximity) and 5 (presence, missing worker, roll-call).
 *
 * <p>Outputs, all keyed for their topic: {@code Alert} (key projectId), {@code WorkerState} (projectId/workerId),
 * {@code EquipmentStatus} (projectId/equipmentId), {@code ZoneHeadcount} (projectId/zone), {@code RollCall} (projectId).
 *
 * <p>Two punctuations, on purpose on different clocks. Stale positions are checked on STREAM time: clearing an alert on
 * silence must not happen just because input stopped flowing (no input = stream time stands still = the alert stays
 * up, the safe side), and replays clear exactly as the original run did. Missing workers are checked on WALL-CLOCK
 * time: raising an alert on silence must work precisely when nothing flows.
 */
public final class SiteProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private final RuleSettings settings;
    private Site site;
    private PresenceRule presence;
    private ProximityRule proximity;
    private RollCallRule rollCall;

    SiteProcessor(final RuleSettings settings) {
        this.settings = settings;
    }

    /** The supplier, which also declares the stores (so the DSL adds and connects them). */
    public static ProcessorSupplier<String, SpecificRecord, String, SpecificRecord> supplier(final RuleSettings settings,
            final EventSerdes serdes) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, SpecificRecord, String, SpecificRecord> get() {
                return new SiteProcessor(settings);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return SiteStores.builders(serdes);
            }
        };
    }

    @Override
    public void init(final ProcessorContext<String, SpecificRecord> context) {
        site = new Site(context, settings);
        presence = new PresenceRule(site);
        proximity = new ProximityRule(site);
        rollCall = new RollCallRule(site);
        presence.init();
        proximity.init();
        context.schedule(Duration.ofMillis(settings.staleCheckIntervalMs()), PunctuationType.STREAM_TIME,
                proximity::checkStale);
        context.schedule(Duration.ofMillis(settings.missingCheckIntervalMs()), PunctuationType.WALL_CLOCK_TIME,
                presence::checkMissing);
    }

    @Override
    public void process(final Record<String, SpecificRecord> record) {
        final SpecificRecord event = record.value();
        if (event instanceof WorkerPosition p) {
            final KeyValue<WorkerRecord, Boolean> moved = presence.onPosition(p);
            if (moved.value) {
                proximity.onWorkerMoved(moved.key, p.getEventTime());
            }
            rollCall.onWorker(moved.key, p.getZone(), false, p.getEventTime());
        } else if (event instanceof WorkerPresence p) {
            final WorkerRecord w = presence.onPresence(p);
            rollCall.onWorker(w, p.getZone(), p.getAction() == PresenceAction.CHECK_OUT, p.getEventTime());
        } else if (event instanceof EquipmentStatus e) {
            if (proximity.onEquipment(e)) {
                site.emit(Site.key(e.getProjectId(), e.getEquipmentId()), e, e.getEventTime());
            }
        } else if (event instanceof SensorReading r && r.getWorkerId() != null) {
            presence.onSignOfLife(r.getProjectId(), r.getWorkerId(), r.getEventTime());
        } else if (event instanceof WearableAlarm a) {
            presence.onSignOfLife(a.getProjectId(), a.getWorkerId(), a.getEventTime());
        } else if (event instanceof ManualBroadcast b) {
            rollCall.onBroadcast(b);
        }
    }
}
