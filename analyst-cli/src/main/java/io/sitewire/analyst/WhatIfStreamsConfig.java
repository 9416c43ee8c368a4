package io.sitewire.analyst;

import io.sitewire.streams.config.InvalidConfigException;
import io.sitewire.streams.config.StreamsAppConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The streams-app configuration of a what-if run, in layers: the app's defaults, then the analyst's streams
 * properties file ({@code --streams-config}, e.g. a copy of production's), then what makes it a what-if run
 * (application.id and topic prefix {@code whatif-<name>}, one instance, a state folder of its own, this CLI's broker,
 * registry and client settings), then the {@code --set} overrides. The what-if keys cannot be overridden: a run with
 * the live prefix or application.id would write to live topics or steal the live app's partitions.
 */
final class WhatIfStreamsConfig {

    /** Keys the what-if layer sets and {@code --set} may not. */
    static final Set<String> RESERVED = Set.of(StreamsAppConfig.APPLICATION_ID, StreamsAppConfig.TOPIC_PREFIX,
            StreamsAppConfig.BOOTSTRAP_SERVERS, StreamsAppConfig.STATE_DIR, StreamsAppConfig.SCHEMA_REGISTRY_URL,
            StreamsAppConfig.EMERGENCY_SEPARATE_INSTANCE, "kafka." + StreamsAppConfig.APPLICATION_ID,
            "kafka." + StreamsAppConfig.BOOTSTRAP_SERVERS, "kafka." + StreamsAppConfig.STATE_DIR);

    private WhatIfStreamsConfig() {
    }

    /**
     * @throws InvalidConfigException listing every problem (a reserved or malformed {@code --set} included)
     */
    static StreamsAppConfig build(final ReplayConfig connection, final WhatIfSet set, final Path stateDir,
            final Path streamsConfigFile, final List<String> overrides) {
        final List<String> problems = new ArrayList<>();
        final Map<String, String> sets = new LinkedHashMap<>();
        for (final String override : overrides) {
            final int eq = override.indexOf('=');
            if (eq <= 0) {
                problems.add("--set " + override + ": expected KEY=VALUE, e.g. --set air.co.ceiling.limit=100");
                continue;
            }
            final String key = override.substring(0, eq).strip();
            if (RESERVED.contains(key)) {
                problems.add("--set " + key + ": set by reprocess for the what-if run (" + set.applicationId()
                        + "), not overridable");
                continue;
            }
            sets.put(key, override.substring(eq + 1).strip());
        }
        final List<StreamsAppConfig.Layer> layers = new ArrayList<>();
        layers.add(new StreamsAppConfig.Layer("default", StreamsAppConfig.defaultProperties(), false));
        if (streamsConfigFile != null) {
            layers.add(new StreamsAppConfig.Layer("file " + streamsConfigFile, readFile(streamsConfigFile, problems), false));
        }
        final Map<String, String> whatIf = new LinkedHashMap<>();
        whatIf.put(StreamsAppConfig.APPLICATION_ID, set.applicationId());
        whatIf.put(StreamsAppConfig.TOPIC_PREFIX, set.catalogue().prefix());
        whatIf.put(StreamsAppConfig.BOOTSTRAP_SERVERS, connection.bootstrapServers());
        whatIf.put(StreamsAppConfig.SCHEMA_REGISTRY_URL, connection.registryUrl());
        whatIf.put(StreamsAppConfig.STATE_DIR, stateDir.toString());
        // The split into two instances serves live latency; a what-if run is judged by its output, and one instance
        // is one consumer group to watch for completion.
        whatIf.put(StreamsAppConfig.EMERGENCY_SEPARATE_INSTANCE, "false");
        connection.kafkaProperties().forEach((k, v) -> whatIf.put("kafka." + k, v));
        whatIf.putAll(connection.registryProperties());
        layers.add(new StreamsAppConfig.Layer("what-if run", whatIf, false));
        layers.add(new StreamsAppConfig.Layer("--set", sets, false));
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return StreamsAppConfig.fromLayers(layers);
    }

    private static Map<String, String> readFile(final Path file, final List<String> problems) {
        final Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (final IOException e) {
            problems.add("--streams-config " + file + ": cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return Map.of();
        }
        final Map<String, String> map = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
        return map;
    }
}
