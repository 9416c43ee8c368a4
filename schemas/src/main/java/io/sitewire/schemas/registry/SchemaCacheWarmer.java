package io.sitewire.schemas.registry;

import io.sitewire.schemas.topics.TopicSpec;
import java.util.Collection;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches, at start, the schema of every topic an app reads or writes into its registry client's cache. A registry
 * outage later then touches only records written with a schema registered after the app started: everything else is
 * decoded and encoded from the cache, so an outage does not hold up alerts.
 */
public final class SchemaCacheWarmer {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaCacheWarmer.class);

    private SchemaCacheWarmer() {
    }

    /** Returns how many subjects were cached; a subject that cannot be fetched now is logged and left to the first use
     * (all the rest too, once the registry is found unreachable). */
    public static int warm(final SchemaRegistryClient registry, final Collection<? extends TopicSpec<?>> topics) {
        int cached = 0;
        for (final TopicSpec<?> topic : topics) {
            final String subject = topic.valueSubject();
            final Schema schema = AvroSchemas.forClass(topic.valueType());
            try {
                registry.byId(registry.idOf(subject, schema));
                cached++;
            } catch (final SchemaRegistryException e) {
                LOG.warn("could not cache the schema of {} at start ({}); it will be fetched on first use", subject,
                        e.getMessage());
                if (e.isUnreachable()) {
                    break; // the registry is down: do not wait out its retries once per subject
                }
            }
        }
        return cached;
    }
}
