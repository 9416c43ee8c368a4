/**
 * Confluent-compatible schema registry client and Avro serdes, without Confluent's jars.
 *
 * <p>Wire format ({@link io.sitewire.schemas.registry.WireFormat}): byte {@code 0x00}, the writer schema id as a
 * 4-byte big-endian int, then Avro binary. Subjects: TopicNameStrategy, {@code <topic>-value} / {@code <topic>-key}.
 * What is registered is the clean schema parsed from the {@code .avsc} sources
 * ({@link io.sitewire.schemas.registry.AvroSchemas}), never a generated class's schema with its Java-only hints.
 *
 * <ul>
 *   <li>Clients: {@link io.sitewire.schemas.registry.SchemaRegistryClient}, implemented over HTTP
 *       ({@link io.sitewire.schemas.registry.HttpSchemaRegistryClient}, Confluent or Apicurio
 *       {@code /apis/ccompat/v7}) and in memory ({@link io.sitewire.schemas.registry.InMemorySchemaRegistry}, for
 *       TopologyTestDriver tests); built from properties by
 *       {@link io.sitewire.schemas.registry.SchemaRegistryClients}, the one reader of the registry keys.</li>
 *   <li>Serdes: {@link io.sitewire.schemas.registry.AvroSerdes#forClass}, or the classes named in client
 *       properties with {@code schema.registry.url}.</li>
 *   <li>Failures: {@link io.sitewire.schemas.registry.SchemaRegistryException} from clients; a subclass of
 *       {@link io.sitewire.schemas.registry.AvroSerdeException} (a Kafka {@code SerializationException}) from
 *       serdes; {@link io.sitewire.schemas.registry.DecodeFailure} to describe one with topic, partition and
 *       offset.</li>
 * </ul>
 */
package io.sitewire.schemas.registry;
