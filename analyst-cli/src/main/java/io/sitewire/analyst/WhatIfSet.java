package io.sitewire.analyst;

import io.sitewire.schemas.topics.TopicCatalogue;
import io.sitewire.schemas.topics.TopicSpec;
import java.util.List;

/**
 * The topics and application id of one what-if run: catalogue prefix and application.id {@code whatif-<name>}. The
 * only place that names them, and the guard that keeps a what-if run off live topics: the prefix can never be the
 * live prefix, nor the prefix of the topics the run reads.
 *
 * @param name      what the analyst called the run
 * @param catalogue the what-if topics
 */
public record WhatIfSet(String name, TopicCatalogue catalogue) {

    public static final String PREFIX = "whatif-";

    public WhatIfSet {
        if (!catalogue.prefix().equals(PREFIX + name)) {
            throw new IllegalArgumentException("a what-if set's prefix is " + PREFIX + name + ", not " + catalogue.prefix());
        }
    }

    /**
     * The what-if set {@code name}, for a run that reads the topics of {@code source}.
     *
     * @throws IllegalArgumentException when the name is not lower-case letters, digits and '-' (at most 34), or the
     *                                  what-if prefix would be the live prefix or the source's prefix: a what-if run
     *                                  must never write where it reads, or to live topics
     */
    public static WhatIfSet of(final String name, final TopicCatalogue source) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,33}")) {
            throw new IllegalArgumentException("--name: '" + name + "' must be 1-34 lower-case letters, digits and '-', "
                    + "starting with a letter or digit (it names topics " + PREFIX + "NAME.* and application.id " + PREFIX + "NAME)");
        }
        final String prefix = PREFIX + name;
        if (prefix.equals(TopicCatalogue.LIVE_PREFIX) || prefix.equals(source.prefix())) {
            throw new IllegalArgumentException("--name " + name + ": the what-if prefix '" + prefix + "' is the prefix of the "
                    + (prefix.equals(TopicCatalogue.LIVE_PREFIX) ? "live" : "source") + " topics; a what-if run never writes "
                    + "where it reads. Choose another name.");
        }
        return new WhatIfSet(name, TopicCatalogue.withPrefix(prefix));
    }

    /** The what-if run's Kafka Streams application.id (and consumer group): the prefix itself. */
    public String applicationId() {
        return catalogue.prefix();
    }

    /** The what-if topic that plays the part of {@code source} (same family and priority, this set's prefix). */
    public TopicSpec<?> counterpart(final TopicSpec<?> source) {
        return catalogue.all().stream()
                .filter(t -> t.family().equals(source.family()) && t.priority().equals(source.priority()))
                .filter(t -> t.valueType().equals(source.valueType()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no what-if counterpart of " + source.name()));
    }

    /** Whether a topic belongs to this what-if set; every write of a what-if run is checked against it. */
    public boolean owns(final String topic) {
        return catalogue.byName(topic).isPresent();
    }

    /** The input families a what-if run can copy: what devices send (the rules' inputs), never derived topics. */
    public static List<TopicSpec<?>> inputs(final TopicCatalogue catalogue) {
        return catalogue.all().stream()
                .filter(t -> io.sitewire.schemas.EventType.of(t.valueType()).ingestible())
                .filter(t -> !t.equals(catalogue.equipmentState()))
                .toList();
    }
}
