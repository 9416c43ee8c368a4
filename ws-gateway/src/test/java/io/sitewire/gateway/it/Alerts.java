package io.sitewire.gateway.it;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Priority;

/** Alerts with a sequence number in their id, so tests can check order and exactly-once. */
public final class Alerts {

    private Alerts() {
    }

    public static Alert alert(final String projectId, final Priority priority, final int n) {
        return Alert.newBuilder().setAlertId(projectId + "-" + priority + "-" + n).setType(AlertType.GAS_CEILING)
                .setPriority(priority).setState(AlertState.RAISED).setProjectId(projectId).setZone("north")
                .setRule("gas.co.ceiling").setLimitSource("NIOSH REL 200 ppm ceiling").setMetric("co_ppm")
                .setValue(250.0 + n).setLimit(200.0).setMessage("CO " + (250 + n) + " ppm in north")
                .setSourceTime(1_700_000_000_000L + n).setRaisedAt(1_700_000_000_100L + n).build();
    }

    /** The sequence number of an event frame's alert. */
    public static int seqOf(final com.fasterxml.jackson.databind.JsonNode event) {
        final String id = event.path("data").path("alertId").asText();
        return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
    }
}
