package io.sitewire.streams.emergency;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Priority;
import io.sitewire.events.WearableAlarm;
import io.sitewire.events.WorkerState;
import io.sitewire.schemas.topics.KeyLayout;
import io.sitewire.streams.config.RuleDefaults;
import io.sitewire.streams.support.Alerts;
import java.util.Locale;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Rule 4, wearables: every FALL, SOS or MAN_DOWN alarm becomes one EMERGENCY alert at once, enriched with the worker's
 * last known zone and position from the worker-state table. Nothing here waits, windows, aggregates or de-duplicates: two
 * alarms are two alerts (the id, {@code <KIND>:<project>:<worker>:<device>:<eventTime>}, is equal only for a resend of
 * the same alarm). The device's own flag is authoritative (see docs/rules.md); the alarm's own coordinates win over the
 * last known position.
 */
public final class WearableAlarmAlerts implements FixedKeyProcessor<String, WearableAlarm, Alert> {

    private final String workerStateStore;
    private FixedKeyProcessorContext<String, Alert> context;
    private ReadOnlyKeyValueStore<String, ValueAndTimestamp<WorkerState>> workers;

    public WearableAlarmAlerts(final String workerStateStore) {
        this.workerStateStore = workerStateStore;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, Alert> context) {
        this.context = context;
        this.workers = context.getStateStore(workerStateStore);
    }

    @Override
    public void process(final FixedKeyRecord<String, WearableAlarm> record) {
        final WearableAlarm a = record.value();
        final ValueAndTimestamp<WorkerState> held = workers.get(KeyLayout.join(a.getProjectId(), a.getWorkerId()));
        final WorkerState known = held == null ? null : held.value();
        final AlertType type = AlertType.valueOf(a.getKind().name());
        final boolean ownFix = a.getLat() != null && a.getLng() != null;
        final Double lat = ownFix ? a.getLat() : known == null ? null : known.getLat();
        final Double lng = ownFix ? a.getLng() : known == null ? null : known.getLng();
        final String zone = known == null ? null : known.getZone();
        final String where = (zone == null ? "zone unknown" : "zone " + zone)
                + (lat == null ? ", no position" : String.format(Locale.ROOT, ", at %.6f,%.6f%s", lat, lng,
                        ownFix ? "" : " (last known)"));
        final Alert alert = Alerts.alert(Alerts.id(type, a.getProjectId(), a.getEventTime(), a.getWorkerId(), a.getDeviceId()),
                        type, Priority.EMERGENCY, AlertState.RAISED, a.getProjectId(),
                        "wearable." + a.getKind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                        a.getKind() + " alarm from device " + a.getDeviceId() + " of worker " + a.getWorkerId() + ": " + where,
                        a.getEventTime(), context.currentSystemTimeMs())
                .setWorkerId(a.getWorkerId())
                .setZone(zone)
                .setLat(lat)
                .setLng(lng)
                .setLimitSource(RuleDefaults.WEARABLE_SOURCE)
                .build();
        context.forward(record.withValue(alert));
    }
}
