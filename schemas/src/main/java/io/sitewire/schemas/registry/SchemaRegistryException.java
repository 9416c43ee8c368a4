package io.sitewire.schemas.registry;

import java.time.Duration;
import java.util.Locale;

/**
 * A schema registry call that failed: either the registry answered with an error (a 4xx, never retried, carrying
 * the registry's {@code error_code} and message), or it could not be reached or kept failing with 5xx until the
 * retries ran out. The message always names the registry URL, the operation and the subject or schema id.
 */
public final class SchemaRegistryException extends RuntimeException {

    /** Confluent error codes that callers act on. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

    private static final long serialVersionUID = 1L;

    private final String url;
    private final String operation;
    private final String subject;
    private final int httpStatus;
    private final int errorCode;
    private final String registryMessage;
    private final boolean unreachable;

    private SchemaRegistryException(final String message, final String url, final String operation,
            final String subject, final int httpStatus, final int errorCode, final String registryMessage,
            final boolean unreachable, final Throwable cause) {
        super(message, cause);
        this.url = url;
        this.operation = operation;
        this.subject = subject;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.registryMessage = registryMessage;
        this.unreachable = unreachable;
    }

    /**
     * The registry answered with an error. {@code errorCode} is the body's {@code error_code} (the HTTP status
     * when the body had none).
     */
    public static SchemaRegistryException rejected(final String url, final String operation, final String subject,
            final int httpStatus, final int errorCode, final String registryMessage) {
        return new SchemaRegistryException(
                String.format(Locale.ROOT, "Schema registry %s: %s failed: HTTP %d, error_code %d: %s", url,
                        what(operation, subject), httpStatus, errorCode, registryMessage),
                url, operation, subject, httpStatus, errorCode, registryMessage, false, null);
    }

    /** No usable answer after every attempt: connection refused, timed out, or 5xx each time. */
    public static SchemaRegistryException unreachable(final String url, final String operation, final String subject,
            final int attempts, final Duration elapsed, final int lastHttpStatus, final Throwable lastError) {
        final String last = lastError != null ? lastError.toString() : "HTTP " + lastHttpStatus;
        return new SchemaRegistryException(
                String.format(Locale.ROOT, "Schema registry %s unreachable: %s failed after %d attempt%s in %.1f s: %s",
                        url, what(operation, subject), attempts, attempts == 1 ? "" : "s",
                        elapsed.toMillis() / 1000.0, last),
                url, operation, subject, lastHttpStatus, 0, last, true, lastError);
    }

    private static String what(final String operation, final String subject) {
        return subject == null ? operation : operation + " for subject '" + subject + "'";
    }

    /** The registry's base URL, e.g. {@code http://127.0.0.1:8080/apis/ccompat/v7}. */
    public String url() {
        return url;
    }

    /** What we asked, e.g. "register schema" or "get schema id 42". */
    public String operation() {
        return operation;
    }

    /** The subject concerned, or null for calls by schema id. */
    public String subject() {
        return subject;
    }

    /** The last HTTP status seen, 0 when no response came at all. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's error_code (e.g. 40401, 40403, 409); 0 when the registry gave no answer. */
    public int errorCode() {
        return errorCode;
    }

    /** The registry's own message (or the last I/O error when unreachable). */
    public String registryMessage() {
        return registryMessage;
    }

    /** True when retries ran out on connection errors or 5xx: the request itself may well be fine. */
    public boolean isUnreachable() {
        return unreachable;
    }

    public boolean isSubjectNotFound() {
        return errorCode == SUBJECT_NOT_FOUND;
    }

    public boolean isSchemaNotFound() {
        return errorCode == SCHEMA_NOT_FOUND;
    }

    public boolean isIncompatible() {
        return errorCode == INCOMPATIBLE_SCHEMA || httpStatus == 409;
    }
}
