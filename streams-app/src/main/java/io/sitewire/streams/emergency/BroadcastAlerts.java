package io.sitewire.streams.emergency;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Priority;
import io.sitewire.events.TargetScope;
import io.sitewire.streams.config.RuleDefaults;
import io.sitewire.streams.support.Alerts;
import java.util.Locale;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Rule 6, manual broadcasts: each broadcast passes to the alert topic of its priority as a BROADCAST alert, except an
 * EVACUATION, which is an EVACUATION alert and always EMERGENCY (whatever priority the sender picked: an evacuation is
 * never routine). Id {@code <TYPE>:<project>:<broadcastId>:<eventTime>}; the site path clears EVACUATION alerts with the
 * same id on ALL_CLEAR.
 */
public final class BroadcastAlerts implements FixedKeyProcessor<String, ManualBroadcast, Alert> {

    private FixedKeyProcessorContext<String, Alert> context;

    /** The id of the alert a broadcast becomes. */
    public static String alertId(final ManualBroadcast b) {
        return Alerts.id(typeOf(b), b.getProjectId(), b.getEventTime(), b.getBroadcastId());
    }

    static AlertType typeOf(final ManualBroadcast b) {
        return b.getKind() == BroadcastKind.EVACUATION ? AlertType.EVACUATION : AlertType.BROADCAST;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, Alert> context) {
        this.context = context;
    }

    @Override
    public void process(final FixedKeyRecord<String, ManualBroadcast> record) {
        final ManualBroadcast b = record.value();
        final AlertType type = typeOf(b);
        final Priority priority = type == AlertType.EVACUATION ? Priority.EMERGENCY : b.getPriority();
        final String muster = b.getMusterZones().isEmpty() ? "" : " Muster at: " + String.join(", ", b.getMusterZones()) + ".";
        final Alert alert = Alerts.alert(alertId(b), type, priority, AlertState.RAISED, b.getProjectId(),
                        "broadcast." + b.getKind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                        b.getMessage() + muster + " (" + b.getTargetScope()
                                + (b.getTarget() == null ? "" : " " + b.getTarget()) + ", from " + b.getIssuedBy() + ")",
                        b.getEventTime(), context.currentSystemTimeMs())
                .setZone(b.getTargetScope() == TargetScope.ZONE ? b.getTarget() : null)
                .setLimitSource(type == AlertType.EVACUATION ? RuleDefaults.EVACUATION_SOURCE : null)
                .build();
        context.forward(record.withValue(alert));
    }
}
