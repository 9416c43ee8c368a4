package io.sitewire.analyst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sitewire.schemas.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {

    @TempDir
    Path dir;

    @Test
    void oneFilePerTypeForCsvAndAvroWhenTypesMix() {
        final OutputFiles files = OutputFiles.plan(dir.resolve("range.csv").toString(), ExportFormat.CSV,
                EnumSet.of(EventType.ALERT, EventType.SENSOR_READING), false);
        assertThat(files.perType()).isTrue();
        assertThat(files.finalPaths()).containsExactly(dir.resolve("range.sensor_reading.csv"), dir.resolve("range.alert.csv"));
        // without an extension the format's is used
        assertThat(OutputFiles.plan(dir.resolve("range").toString(), ExportFormat.AVRO,
                EnumSet.of(EventType.ALERT, EventType.WEARABLE_ALARM), false).finalPaths())
                .containsExactly(dir.resolve("range.wearable_alarm.avro"), dir.resolve("range.alert.avro"));
    }

    @Test
    void oneFileForNdjsonOrASingleType() {
        assertThat(OutputFiles.plan(dir.resolve("x.ndjson").toString(), ExportFormat.NDJSON,
                EnumSet.of(EventType.ALERT, EventType.SENSOR_READING), false).finalPaths()).containsExactly(dir.resolve("x.ndjson"));
        assertThat(OutputFiles.plan(dir.resolve("x.csv").toString(), ExportFormat.CSV, EnumSet.of(EventType.ALERT), false)
                .finalPaths()).containsExactly(dir.resolve("x.csv"));
    }

    @Test
    void standardOutputOnlyForOneFile() {
        assertThat(OutputFiles.plan("-", ExportFormat.NDJSON, EnumSet.of(EventType.ALERT, EventType.SENSOR_READING), false).stdout()).isTrue();
        assertThat(OutputFiles.plan("-", ExportFormat.CSV, EnumSet.of(EventType.ALERT), false).stdout()).isTrue();
        assertThatThrownBy(() -> OutputFiles.plan("-", ExportFormat.CSV, EnumSet.of(EventType.ALERT, EventType.SENSOR_READING), false))
                .hasMessage("--out -: csv needs one file per record type and this export holds 2 (sensor_reading, alert); "
                        + "give --out FILE, or --type to pick one");
    }

    @Test
    void existingFilesNeedForceAndAreReplacedOnlyOnCommit() throws Exception {
        // Given an existing output file
        final Path out = dir.resolve("alerts.csv");
        Files.writeString(out, "old");
        assertThatThrownBy(() -> OutputFiles.plan(out.toString(), ExportFormat.CSV, EnumSet.of(EventType.ALERT), false))
                .hasMessageContaining(out + " already exists; choose another name or add --force to replace");

        // When forced, the new content goes to a .partial file, and the old file stays until commit
        final OutputFiles files = OutputFiles.plan(out.toString(), ExportFormat.CSV, EnumSet.of(EventType.ALERT), true);
        try (var stream = OutputFiles.openPartial(out)) {
            stream.write("new".getBytes());
        }
        assertThat(Files.readString(out)).isEqualTo("old");
        assertThat(files.partialPaths()).containsExactly(dir.resolve("alerts.csv.partial"));
        files.commit();
        assertThat(Files.readString(out)).isEqualTo("new");
        assertThat(files.partialPaths()).isEmpty();
    }
}
