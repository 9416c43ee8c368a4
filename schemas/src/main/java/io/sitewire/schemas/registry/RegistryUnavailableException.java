package io.sitewire.schemas.registry;

/**
 * The schema registry gave no usable answer for a schema that was not cached: unreachable or failing with 5xx
 * after the client's retries, or refusing the request (401/403...). Not the record's fault: it may pass later.
 */
public final class RegistryUnavailableException extends AvroSerdeException {

    private static final long serialVersionUID = 1L;

    RegistryUnavailableException(final boolean decoding, final String topic, final boolean key, final String during,
            final SchemaRegistryException cause) {
        super(decoding, topic, key, "schema registry unavailable while " + during + ": " + cause.getMessage(), cause);
    }

    @Override
    public boolean isPoison() {
        return false;
    }
}
