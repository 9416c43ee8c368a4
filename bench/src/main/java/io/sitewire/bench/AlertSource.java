package io.sitewire.bench;

import io.sitewire.events.Alert;
import io.sitewire.events.AlertState;
import io.sitewire.events.AlertType;
import io.sitewire.events.Priority;
import io.sitewire.simulator.EventSink;
import io.sitewire.simulator.KafkaEventSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Produces the bench's own alerts straight to the alert topics (the simulator's {@link KafkaEventSink}: catalogue
 * routing, acks=all, idempotence). Each alert id is {@code tag:seq}, seq a run-wide sequence number, and its
 * {@code sourceTime} is the wall-clock produce time: clients compute the delivery latency from it (same machine,
 * same clock) and the sequence numbers the broker acknowledged are the reference for missed frames.
 */
final class AlertSource implements AutoCloseable {

    private final EventSink sink;
    private final String project;
    private final Tally tally;
    private final AtomicInteger seq = new AtomicInteger();

    AlertSource(final Stack stack, final String project, final Tally tally, final Duration deadline) {
        this.sink = new KafkaEventSink(stack.bootstrapServers(), stack.registryUrl(), stack.catalogue(),
                boundedProducer(deadline));
        this.project = project;
        this.tally = tally;
    }

    int nextSeq() {
        return seq.get();
    }

    /** Sends one alert; the broker's acknowledgement marks its sequence number as produced. */
    void send(final String tag, final Priority priority) throws InterruptedException {
        final int n = seq.getAndIncrement();
        final long now = System.currentTimeMillis();
        final Alert alert = Alert.newBuilder().setAlertId(tag + ":" + n).setType(AlertType.GAS_CEILING)
                .setPriority(priority).setState(AlertState.RAISED).setProjectId(project).setZone("bench")
                .setRule("bench." + tag).setMetric("co_ppm").setValue(250.0).setLimit(200.0)
                .setMessage("bench " + tag + " alert " + n).setSourceTime(now).setRaisedAt(now).build();
        sink.send(List.of(alert), new EventSink.Delivery() {
            @Override
            public void delivered(final SpecificRecord event) {
                tally.produced(n);
            }

            @Override
            public void failed(final SpecificRecord event, final Exception error) {
                tally.produceFailures.increment();
            }
        });
    }

    /** {@code perSecond} alerts a second, spread over 10 ms ticks, until {@code until} says stop. */
    int paced(final String tag, final Priority priority, final double perSecond, final BooleanSupplier until)
            throws InterruptedException {
        final long begin = System.nanoTime();
        int sent = 0;
        while (!until.getAsBoolean()) {
            final double elapsed = (System.nanoTime() - begin) / 1e9;
            final long due = (long) (elapsed * perSecond) + 1;
            while (sent < due) {
                send(tag, priority);
                sent++;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return sent;
    }

    /** Waits up to {@code limit} until every alert sent so far is acknowledged or failed; true if so. */
    boolean flush(final Duration limit) throws InterruptedException {
        return sink.flush(limit);
    }

    /**
     * Producer settings under which a send blocks at most {@code deadline} (metadata, a full buffer) and every
     * record is acknowledged or failed within it, so that a full in-flight window frees up within it too: a
     * stalled broker then shows as produce failures, not as a bench that waits for ever.
     */
    static Map<String, Object> boundedProducer(final Duration deadline) {
        final long limit = Math.max(2_000, deadline.toMillis());
        final long request = Math.max(1_000, limit / 2);
        return Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, limit,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, request),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, Math.max(limit, request + 1_000)));
    }

    @Override
    public void close() {
        sink.close();
    }
}
