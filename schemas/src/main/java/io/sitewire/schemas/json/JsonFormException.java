package io.sitewire.schemas.json;

import java.util.List;

/** A JSON document is not a valid event; {@link #errors()} lists every problem with its JSON path. */
public final class JsonFormException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    public JsonFormException(final List<String> errors) {
        super(String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
