package io.sitewire.analyst;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Alert;
import io.sitewire.events.BroadcastKind;
import io.sitewire.events.DeadLetter;
import io.sitewire.events.ManualBroadcast;
import io.sitewire.events.Priority;
import io.sitewire.events.TargetScope;
import io.sitewire.schemas.registry.AvroSchemas;
import io.sitewire.schemas.replay.ReplayedRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvFlattenerTest {

    @Test
    void headerIsThePositionThenEveryFieldInSchemaOrder() {
        final CsvFlattener csv = new CsvFlattener(AvroSchemas.forClass(Alert.class), true);
        assertThat(csv.header()).containsExactly("topic", "partition", "offset", "timestamp", "key",
                "alertId", "type", "priority", "state", "projectId", "zone", "workerId", "equipmentId", "metric", "value",
                "limit", "rule", "limitSource", "message", "lat", "lng", "sourceTime", "raisedAt");
    }

    @Test
    void cellsAreFlatTextWithNullsEmptyAndEnumsAsSymbols() {
        // Given an alert with nulls, a number, an enum and text that needs quoting
        final Alert alert = Alert.newBuilder().setAlertId("p1/air/1").setType(AlertType.GAS_CEILING)
                .setPriority(Priority.EMERGENCY).setState(AlertState.RAISED).setProjectId("p1").setZone(null)
                .setWorkerId(null).setEquipmentId(null).setMetric("co_ppm").setValue(212.5).setLimit(200.0)
                .setRule("air.co.ceiling").setLimitSource(null).setMessage("CO \"212.5\" ppm,\nlevel 3")
                .setLat(null).setLng(-74.005974).setSourceTime(1_795_593_600_000L).setRaisedAt(1_795_593_600_035L).build();
        final CsvFlattener csv = new CsvFlattener(AvroSchemas.forClass(Alert.class), true);

        // When flattened into a line
        final List<String> cells = csv.cells(new ReplayedRecord("sitewire.alerts.emergency", 4, 17, 1_795_593_600_040L, "p1", alert));
        final String line = CsvFlattener.line(cells);

        // Then
        assertThat(cells).containsExactly("sitewire.alerts.emergency", "4", "17", "1795593600040", "p1",
                "p1/air/1", "GAS_CEILING", "EMERGENCY", "RAISED", "p1", "", "", "", "co_ppm", "212.5", "200.0",
                "air.co.ceiling", "", "CO \"212.5\" ppm,\nlevel 3", "", "-74.005974", "1795593600000", "1795593600035");
        assertThat(line).isEqualTo("sitewire.alerts.emergency,4,17,1795593600040,p1,p1/air/1,GAS_CEILING,EMERGENCY,RAISED,p1,,,,"
                + "co_ppm,212.5,200.0,air.co.ceiling,,\"CO \"\"212.5\"\" ppm,\nlevel 3\",,-74.005974,1795593600000,1795593600035");
    }

    @Test
    void arraysAreJsonTextAndBytesBase64() {
        final ManualBroadcast broadcast = ManualBroadcast.newBuilder().setProjectId("p1").setBroadcastId("b-1")
                .setKind(BroadcastKind.EVACUATION).setPriority(Priority.EMERGENCY).setTargetScope(TargetScope.ZONE)
                .setTarget("L3").setMessage("Evacuate").setIssuedBy("sup").setMusterZones(List.of("gate-B", "gate \"C\""))
                .setEventTime(5L).build();
        final List<String> cells = new CsvFlattener(AvroSchemas.forClass(ManualBroadcast.class), true)
                .cells(new ReplayedRecord("t", 0, 0, 0, "p1", broadcast));
        assertThat(cells.get(cells.size() - 2)).isEqualTo("[\"gate-B\",\"gate \\\"C\\\"\"]");

        final DeadLetter dead = DeadLetter.newBuilder().setApp("a").setSourceTopic("t").setSourcePartition(1)
                .setSourceOffset(2L).setKey(null).setValue(ByteBuffer.wrap(new byte[] {0, (byte) 0xFF, 'x'}))
                .setReason("r").setFailedAt(3L).build();
        final List<String> deadCells = new CsvFlattener(AvroSchemas.forClass(DeadLetter.class), true)
                .cells(new ReplayedRecord("t", 0, 0, 0, null, dead));
        assertThat(deadCells.subList(4, deadCells.size())).containsExactly("", "a", "t", "1", "2", "", "AP94", "r", "3");
    }

    @Test
    void formulaGuardPrefixesTextThatASpreadsheetWouldRun() {
        final ManualBroadcast broadcast = ManualBroadcast.newBuilder().setProjectId("p1").setBroadcastId("b-1")
                .setKind(BroadcastKind.OTHER).setPriority(Priority.LOW).setTargetScope(TargetScope.PROJECT)
                .setTarget(null).setMessage("=HYPERLINK(\"http://x\")").setIssuedBy("@sup").setMusterZones(List.of())
                .setEventTime(-5L).build();
        final ReplayedRecord record = new ReplayedRecord("t", 0, 0, 0, "-p", broadcast);
        final List<String> guarded = new CsvFlattener(AvroSchemas.forClass(ManualBroadcast.class), true).cells(record);
        // text fields get a leading ', numbers (a negative eventTime) do not
        assertThat(guarded).contains("'=HYPERLINK(\"http://x\")", "'@sup", "'-p", "-5");
        final List<String> raw = new CsvFlattener(AvroSchemas.forClass(ManualBroadcast.class), false).cells(record);
        assertThat(raw).contains("=HYPERLINK(\"http://x\")", "@sup", "-p", "-5");
    }

    @Test
    void quotedLinesParseBackToTheSameCells() {
        // Given random cells full of the characters CSV must escape (seeded)
        final Random random = new Random(42);
        final String alphabet = "ab,\"\n\r ;'é=";
        for (int i = 0; i < 1000; i++) {
            final List<String> cells = new ArrayList<>();
            for (int c = 0; c < 1 + random.nextInt(6); c++) {
                final StringBuilder cell = new StringBuilder();
                for (int k = 0; k < random.nextInt(8); k++) {
                    cell.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                cells.add(cell.toString());
            }
            // When written as a line and read back by an RFC 4180 parser, Then the cells are the same
            assertThat(parse(CsvFlattener.line(cells))).isEqualTo(cells);
        }
    }

    /** A minimal RFC 4180 reader of one record. */
    private static List<String> parse(final String line) {
        final List<String> cells = new ArrayList<>();
        final StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
