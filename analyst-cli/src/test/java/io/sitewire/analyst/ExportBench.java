package io.sitewire.analyst;

import io.sitewire.events.Metric;
import io.sitewire.events.SensorReading;
import io.sitewire.localstack.ApicurioRegistry;
import io.sitewire.localstack.EmbeddedKafka;
import io.sitewire.schemas.AvroTrust;
import io.sitewire.schemas.provision.TopicProvisioner;
import io.sitewire.schemas.registry.AvroSerializer;
import io.sitewire.schemas.registry.HttpSchemaRegistryClient;
import io.sitewire.schemas.registry.SchemaRegistryClient;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Export throughput on the embedded stack (a measurement, not a test): produces {@code bench.records} sensor readings
 * of 4 projects over the last hour into a fresh catalogue, then runs {@code sitewire-replay export} in this JVM for
 * each format, all projects and one project, and prints records/s. Run:
 * {@code ./mvnw -B -pl analyst-cli -am -Pexport-bench -DskipTests verify} (-Dbench.records=N).
 */
public final class ExportBench {

    private ExportBench() {
    }

    public static void main(final String[] args) throws Exception {
        AvroTrust.install();
        final int records = Integer.getInteger("bench.records", 500_000);
        final Path dir = Files.createTempDirectory("sitewire-export-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.startSingleNode();
             ApicurioRegistry apicurio = ApicurioRegistry.start(ApicurioRegistry.Options.defaults())) {
            final TopicCatalogue catalogue = TopicCatalogue.withPrefix("bench-" + UUID.randomUUID().toString().substring(0, 6));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                new TopicProvisioner(admin, (short) 1, Duration.ofSeconds(30)).provision(catalogue.all());
            }
            final SchemaRegistryClient registry = HttpSchemaRegistryClient.builder(apicurio.ccompatUrl()).build();
            final long end = Instant.now().minusSeconds(60).toEpochMilli();
            final long start = end - Duration.ofHours(1).toMillis();
            final long produceStart = System.nanoTime();
            try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "1",
                    ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                    new StringSerializer(), new AvroSerializer<>(registry, false))) {
                final Metric[] metrics = {Metric.co_ppm, Metric.h2s_ppm, Metric.pm25_ugm3, Metric.noise_dba};
                for (int i = 0; i < records; i++) {
                    final String project = "site-" + (i % 4);
                    final long ts = start + (long) i * (end - start) / records;
                    producer.send(new ProducerRecord<>(catalogue.sensorReadings().name(), null, ts, project,
                            SensorReading.newBuilder().setProjectId(project).setSensorId("s-" + (i % 200))
                                    .setZone("zone-" + (i % 7)).setMetric(metrics[i % metrics.length]).setValue(i % 1000 / 10.0)
                                    .setWorkerId(i % 3 == 0 ? "w-" + (i % 50) : null).setEventTime(ts).build()));
                }
            }
            System.out.printf(Locale.ROOT, "produced %,d sensor readings in %.1f s%n", records, (System.nanoTime() - produceStart) / 1e9);

            final List<String> lines = new ArrayList<>();
            // The first pass warms up the JIT, the registry client and the broker's page cache; it is not reported.
            for (final String format : List.of("warm-up", "ndjson", "csv", "avro")) {
                for (final boolean oneProject : format.equals("warm-up") ? List.of(false) : List.of(false, true)) {
                    final String fileFormat = format.equals("warm-up") ? "ndjson" : format;
                    final Path out = dir.resolve("export-" + format + (oneProject ? "-p1" : "-all") + "." + fileFormat);
                    final List<String> cli = new ArrayList<>(List.of("export", "--topics", "sensor-readings",
                            "--from", Instant.ofEpochMilli(start).toString(), "--to", Instant.ofEpochMilli(end + 1).toString(),
                            "--format", fileFormat, "--out", out.toString(), "--progress", "none"));
                    if (oneProject) {
                        cli.addAll(List.of("--project", "site-1"));
                    }
                    final ByteArrayOutputStream err = new ByteArrayOutputStream();
                    final long t = System.nanoTime();
                    final int code = ReplayCli.run(cli.toArray(String[]::new), Map.of(
                                    "SITEWIRE_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                                    "SITEWIRE_SCHEMA_REGISTRY_URL", apicurio.ccompatUrl(),
                                    "SITEWIRE_TOPIC_PREFIX", catalogue.prefix()),
                            System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
                    final double seconds = (System.nanoTime() - t) / 1e9;
                    final String summary = err.toString(StandardCharsets.UTF_8);
                    final String exported = summary.lines().filter(l -> l.startsWith("Exported")).findFirst().orElse(summary);
                    if (format.equals("warm-up")) {
                        System.out.printf(Locale.ROOT, "warm-up: %s%n", exported);
                        continue;
                    }
                    lines.add(String.format(Locale.ROOT, "%-6s %-11s exit %d  %6.1f s wall (JVM in-process)  %,10.0f records read/s  %s  %,d bytes",
                            format, oneProject ? "1 project" : "4 projects", code, seconds, records / seconds, exported,
                            size(out, fileFormat)));
                }
            }
            System.out.println();
            System.out.println("sitewire-replay export, " + records + " sensor readings (12 partitions), 1 broker + Apicurio on this machine:");
            lines.forEach(System.out::println);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long size(final Path out, final String format) throws Exception {
        if (Files.exists(out)) {
            return Files.size(out);
        }
        try (Stream<Path> files = Files.list(out.getParent())) {
            return files.filter(p -> p.getFileName().toString().startsWith(out.getFileName().toString().replace("." + format, "")))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
