package io.sitewire.streams.site;

import io.sitewire.events.EquipmentStatus;
import io.sitewire.schemas.topics.KeyLayout;
import io.sitewire.streams.config.RuleSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** What the site rules of one task share: its stores, in-memory indexes, settings, clocks and output. */
final class Site {

    final ProcessorContext<String, SpecificRecord> context;
    final RuleSettings settings;
    final KeyValueStore<String, WorkerRecord> workers;
    final KeyValueStore<String, EquipmentStatus> equipment;
    final KeyValueStore<String, Episode> episodes;
    final KeyValueStore<String, Evacuation> evacuations;
    private final Map<String, ProjectIndex> projects = new HashMap<>();

    Site(final ProcessorContext<String, SpecificRecord> context, final RuleSettings settings) {
        this.context = context;
        this.settings = settings;
        this.workers = context.getStateStore(SiteStores.WORKERS);
        this.equipment = context.getStateStore(SiteStores.EQUIPMENT);
        this.episodes = context.getStateStore(SiteStores.EPISODES);
        this.evacuations = context.getStateStore(SiteStores.EVACUATIONS);
    }

    ProjectIndex index(final String projectId) {
        return projects.computeIfAbsent(projectId, p -> new ProjectIndex(settings.gridCellM()));
    }

    long wallNow() {
        return context.currentSystemTimeMs();
    }

    long streamNow() {
        return context.currentStreamTimeMs();
    }

    void emit(final String key, final SpecificRecord value, final long timestamp) {
        context.forward(new Record<>(key, value, timestamp));
    }

    static String key(final String... parts) {
        return KeyLayout.join(parts);
    }

    /** Store keys are "project/id" joined; a prefix scan of "project/" lists a project. */
    static String prefix(final String... parts) {
        return KeyLayout.join(parts) + KeyLayout.SEPARATOR;
    }
}
