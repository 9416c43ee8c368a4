package io.sitewire.streams.air.support;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store with its values kept deserialized in front of it: a {@code get} of a key already read or written
 * costs a map lookup instead of a JSON parse, which the profile of a busy site thread showed as a fifth of its CPU
 * (every reading reads and writes its sensor's state and its project's clocks). Writes still go to the store, hence
 * to its changelog, in the same transaction: the store stays the truth, and this is only a copy of what it holds.
 *
 * <p>The copy is right only while every change goes through {@link #put} and {@link #delete} and a value handed out
 * by {@link #get} is either left alone or put back. So: one per processor instance, made in {@code init} (a task that
 * is closed and restored, e.g. after an aborted transaction, runs {@code init} again and so starts empty), and
 * {@link #clear}ed when processing a record fails half way (a value may have been changed and not put back).
 */
public final class CachedStore<V> {

    private final KeyValueStore<String, V> store;
    private final Map<String, V> values = new HashMap<>();

    public CachedStore(final KeyValueStore<String, V> store) {
        this.store = store;
    }

    /** The value, or null when the store has none. */
    public V get(final String key) {
        final V cached = values.get(key);
        if (cached != null) {
            return cached;
        }
        final V stored = store.get(key);
        if (stored != null) {
            values.put(key, stored);
        }
        return stored;
    }

    public void put(final String key, final V value) {
        store.put(key, value);
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
    }

    public void delete(final String key) {
        store.delete(key);
        values.remove(key);
    }

    /** Forgets the copies (the store is untouched). */
    public void clear() {
        values.clear();
    }

    /** The store itself, for range and prefix scans (which the copy does not serve). */
    public KeyValueStore<String, V> store() {
        return store;
    }
}
