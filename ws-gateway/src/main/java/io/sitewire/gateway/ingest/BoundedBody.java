package io.sitewire.gateway.ingest;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;

/**
 * Reads a request body without blocking a thread and without holding more than {@code limit} bytes: the read stops
 * as soon as the limit is passed, so an endless or huge upload costs at most {@code limit} bytes of memory.
 */
final class BoundedBody {

    /** The body was longer than the limit. */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        TooLarge(final int limit) {
            super("request body is larger than " + limit + " bytes", null, false, false);
        }
    }

    private final Content.Source source;
    private final int limit;
    private final Consumer<byte[]> onBody;
    private final Consumer<Throwable> onFailure;
    private byte[] bytes;
    private int size;

    private BoundedBody(final Content.Source source, final int limit, final int expected, final Consumer<byte[]> onBody,
            final Consumer<Throwable> onFailure) {
        this.source = source;
        this.limit = limit;
        this.onBody = onBody;
        this.onFailure = onFailure;
        this.bytes = new byte[expected >= 0 ? expected : Math.min(limit, 8192)];
    }

    /** Calls {@code onBody} with the whole body, or {@code onFailure} with {@link TooLarge} or the read failure. */
    static void read(final Content.Source source, final int limit, final Consumer<byte[]> onBody,
            final Consumer<Throwable> onFailure) {
        final long length = source.getLength();
        new BoundedBody(source, limit, length >= 0 && length <= limit ? (int) length : -1, onBody, onFailure).next();
    }

    private void next() {
        while (true) {
            final Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(this::next);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                onFailure.accept(chunk.getFailure());
                return;
            }
            final ByteBuffer buffer = chunk.getByteBuffer();
            final int n = buffer.remaining();
            if (n > limit - size) {
                chunk.release();
                // The rest is not read: the 413 response closes the connection instead of draining it.
                onFailure.accept(new TooLarge(limit));
                return;
            }
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max((long) bytes.length * 2, size + n)));
            }
            buffer.get(bytes, size, n);
            size += n;
            final boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                onBody.accept(size == bytes.length ? bytes : Arrays.copyOf(bytes, size));
                return;
            }
        }
    }
}
