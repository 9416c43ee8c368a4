package io.sitewire.schemas.replay;

/** Told about a replay while it runs, on the reading thread: keep it quick. */
public interface ReplayListener {

    /** Does nothing. */
    ReplayListener NONE = new ReplayListener() {
    };

    /** After every fetched batch (several times a second on a busy read; throttle any display). */
    default void onProgress(final ReplayProgress progress) {
    }

    /**
     * A record in the range could not be decoded ({@link io.sitewire.schemas.registry.DecodeFailure} form:
     * {@code Cannot decode value at topic 'T' partition P offset O: reason}). It is counted in the summary; the
     * read goes on unless it was told to fail on errors.
     */
    default void onDecodeFailure(final String description) {
    }
}
