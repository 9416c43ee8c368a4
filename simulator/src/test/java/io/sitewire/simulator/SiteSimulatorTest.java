package io.sitewire.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sitewire.schemas.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Set;
import io.sitewire.events.PresenceAction;
import io.sitewire.events.WorkerPresence;
import io.sitewire.events.WorkerStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class SiteSimulatorTest {

    @Test
    void aTimedRunDeliversExactlyWhatTheModelProducesForThatSeedAndStartsThenCompletes() throws Exception {
        // Given a short run at 60x: 2 s of wall time are 2 sim minutes, with a crane-walk in them
        final SimulatorConfig config = ModelRun.small().speed(60).duration(Duration.ofSeconds(2))
                .startTimeMs(ModelRun.START).incidents(List.of(IncidentSpec.parse("crane-walk@30s")))
                .progressInterval(Duration.ofMillis(500)).build();
        final CollectingSink sink = new CollectingSink();
        final List<String> lines = new CopyOnWriteArrayList<>();

        // When it runs to its end
        final SimulatorStats stats;
        try (SiteSimulator simulator = SiteSimulator.start(config, sink, lines::add)) {
            stats = simulator.completion().get();
        }

        // Then the sink got the model's events for the same seed and start, up to start + 2 min, in order, then a
        // check-out for every worker still on site at the end
        final SiteModel model = new SiteModel(config, ModelRun.START);
        final List<SpecificRecord> expected = new ArrayList<>(model.step(ModelRun.START + 120_000));
        final List<SpecificRecord> checkOuts = model.checkOutEveryone(ModelRun.START + 120_000);
        assertThat(checkOuts).isNotEmpty();
        expected.addAll(checkOuts);
        assertThat(sink.received()).hasSize(expected.size()).isEqualTo(expected);
        assertThat(sink.closed).isTrue();

        // And the stats count them by type, with the incident, finished
        final Map<EventType, Long> byType = new EnumMap<>(EventType.class);
        expected.forEach(e -> byType.merge(EventType.of(e), 1L, Long::sum));
        assertThat(stats.finished()).isTrue();
        assertThat(stats.generated()).isEqualTo(byType);
        assertThat(stats.delivered()).isEqualTo(byType);
        assertThat(stats.failed()).isZero();
        assertThat(stats.simTimeMs()).isEqualTo(ModelRun.START + 120_000);
        assertThat(stats.incidentsFired()).extracting(FiredIncident::kind).containsExactly(IncidentKind.CRANE_WALK);
        assertThat(stats.wallElapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));

        // And it said so: a start line, progress lines, a final summary with the achieved rate
        assertThat(lines.get(0)).startsWith("simulating 1 project(s) [demo]: 40 workers, 8 machines, 21 sensors each; speed x60");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("\\[sim \\+00:\\d\\d:\\d\\d x60] .* ev/s.*"));
        assertThat(lines.get(lines.size() - 1)).startsWith("finished after").contains("achieved").contains("crane-walk in demo");
    }

    @Test
    void closingMidRunStopsTheTicksFlushesClosesTheSinkAndCompletes() throws Exception {
        // Given an endless run
        final CollectingSink sink = new CollectingSink();
        final List<String> lines = new ArrayList<>();
        final SiteSimulator simulator = SiteSimulator.start(ModelRun.small().speed(30).build(), sink, lines::add);
        await().atMost(Duration.ofSeconds(20)).until(() -> !sink.received().isEmpty());

        // When it is closed
        simulator.close();
        final int afterClose = sink.received().size();

        // Then the sink is closed, nothing more arrives, and the completion carries the final stats
        assertThat(sink.closed).isTrue();
        final SimulatorStats stats = simulator.completion().getNow(null);
        assertThat(stats).isNotNull();
        assertThat(stats.finished()).isFalse();
        assertThat(stats.deliveredTotal()).isEqualTo(afterClose);
        assertThat(lines.get(lines.size() - 1)).startsWith("stopped after");
        simulator.close();
        assertThat(sink.received()).hasSize(afterClose);
    }

    @Test
    void aGracefulStopChecksOutEveryWorkerStillOnSiteAndNobodyElse() throws Exception {
        // Given an endless run at 60x, stopped once some workers have checked in (the shift starts at the run's start)
        final CollectingSink sink = new CollectingSink();
        final SiteSimulator simulator = SiteSimulator.start(ModelRun.small().speed(60).startTimeMs(ModelRun.START)
                .incidents(List.of(IncidentSpec.parse("missing-worker@20s"))).build(), sink, line -> { });
        await().atMost(Duration.ofSeconds(30)).until(() -> onSite(sink.received()).size() >= 5
                && simulator.stats().incidentsFired().size() == 1);

        // When it is closed
        simulator.close();

        // Then the events end with one CHECK_OUT (OFFSITE) per worker that was on site, the missing one included,
        // all at the time the simulation stopped, and after them nobody is on site
        final List<SpecificRecord> received = sink.received();
        final List<WorkerPresence> tail = new ArrayList<>();
        for (int i = received.size() - 1; i >= 0 && received.get(i) instanceof WorkerPresence p
                && p.getAction() == PresenceAction.CHECK_OUT; i--) {
            tail.add(0, p);
        }
        final List<SpecificRecord> before = received.subList(0, received.size() - tail.size());
        final Set<String> onSiteAtStop = onSite(before);
        assertThat(tail).extracting(WorkerPresence::getWorkerId).containsExactlyInAnyOrderElementsOf(onSiteAtStop)
                .doesNotHaveDuplicates()
                .contains(simulator.stats().incidentsFired().get(0).workerId());
        assertThat(tail).allSatisfy(p -> {
            assertThat(p.getStatus()).isEqualTo(WorkerStatus.OFFSITE);
            assertThat(p.getEventTime()).isEqualTo(simulator.stats().simTimeMs());
        });
        assertThat(onSite(received)).isEmpty();
        // And the stats count them as generated and delivered presence events
        assertThat(simulator.stats().deliveredTotal()).isEqualTo(received.size());
    }

    private static Set<String> onSite(final List<SpecificRecord> events) {
        final Set<String> in = new LinkedHashSet<>();
        for (final SpecificRecord e : events) {
            if (e instanceof WorkerPresence p) {
                switch (p.getAction()) {
                    case CHECK_IN -> in.add(p.getWorkerId());
                    case CHECK_OUT -> in.remove(p.getWorkerId());
                    default -> {
                    }
                }
            }
        }
        return in;
    }

    @Test
    void aBlockedSinkHoldsTheSimulatorBackAndCloseStillReturns() throws Exception {
        // Given a sink whose window never opens
        final CollectingSink sink = new CollectingSink(1);
        final SiteSimulator simulator = SiteSimulator.start(ModelRun.small().speed(60).build(), sink, line -> { });
        await().atMost(Duration.ofSeconds(20)).until(() -> simulator.stats().generatedTotal() > 0);

        // When it is closed while the tick is blocked in send()
        final long started = System.nanoTime();
        simulator.close();

        // Then close interrupts the tick and returns within its bounds (it does not wait on the sink to check workers
        // out: they stay checked in, as after a kill), and nothing was delivered
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        assertThat(sink.received()).isEmpty();
        assertThat(simulator.stats().deliveredTotal()).isZero();
        assertThat(simulator.completion()).isDone();
    }
}
