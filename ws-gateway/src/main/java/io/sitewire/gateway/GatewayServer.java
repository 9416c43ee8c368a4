package io.sitewire.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sitewire.gateway.config.GatewayConfig;
import io.sitewire.gateway.cursor.PartitionSpace;
import io.sitewire.gateway.fanout.Hub;
import io.sitewire.gateway.fanout.LiveTailer;
import io.sitewire.gateway.fanout.RecordDecoder;
import io.sitewire.gateway.http.TextHandler;
import io.sitewire.gateway.replay.ReplayService;
import io.sitewire.gateway.replay.http.ReplayHttpHandler;
import io.sitewire.gateway.routing.StreamedTopic;
import io.sitewire.gateway.routing.StreamedTopics;
import io.sitewire.gateway.state.StateTable;
import io.sitewire.gateway.ws.AccessDenied;
import io.sitewire.gateway.ws.Connection;
import io.sitewire.gateway.ws.Identity;
import io.sitewire.gateway.ws.StreamAccess;
import io.sitewire.gateway.ws.StreamContext;
import io.sitewire.schemas.topics.TopicCatalogue;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: Jetty 12 core (no servlets) with the WebSocket stream at /v1/stream, the HTTP ingest at
 * POST /v1/events, GET /v1/replay (NDJSON history), /healthz, /readyz, /metrics and static files from the classpath /static at /; plus the
 * live tailer, the replay pool and the heartbeat.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    public static final String STREAM_PATH = "/v1/stream";
    public static final String EVENTS_PATH = "/v1/events";
    public static final String REPLAY_PATH = "/v1/replay";
    /** Pending TCP connections the listening socket holds before the kernel drops handshakes (see where it is set). */
    static final int ACCEPT_QUEUE = 4096;

    /** WebSocket output (batching) buffer per connection while it sends; see where the container is configured. */
    static final int OUTPUT_BUFFER_BYTES = 16 * 1024;

    private final GatewayConfig config;
    private final Server server;
    private final LiveTailer tailer;
    private final ReplayService replay;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService senders;
    private final GatewayMetrics metrics;
    private final Set<Connection> connections;
    private final Hub hub;

    private GatewayServer(final GatewayConfig config, final Server server, final LiveTailer tailer, final ReplayService replay,
                          final ScheduledExecutorService scheduler, final ExecutorService senders, final GatewayMetrics metrics,
                          final Set<Connection> connections, final Hub hub) {
        this.config = config;
        this.server = server;
        this.tailer = tailer;
        this.replay = replay;
        this.scheduler = scheduler;
        this.senders = senders;
        this.metrics = metrics;
        this.connections = connections;
        this.hub = hub;
    }

    /**
     * Starts a gateway.
     *
     * @param access  token verification and room authorisation
     * @param decoder Avro decoding of streamed records (the registry serde)
     * @param ingest  the POST /v1/events handler, or null to answer 503 there
     */
    public static GatewayServer start(final GatewayConfig config, final StreamAccess access, final RecordDecoder decoder,
                                      final Handler ingest, final PrometheusMeterRegistry registry) throws Exception {
        return start(config, access, decoder, ingest, null, registry);
    }

    /** As above, with the GET /v1/replay handler (null answers 503 there). */
    public static GatewayServer start(final GatewayConfig config, final StreamAccess access, final RecordDecoder decoder,
                                      final Handler ingest, final Handler replayHttp, final PrometheusMeterRegistry registry)
            throws Exception {
        final TopicCatalogue catalogue = TopicCatalogue.withPrefix(config.topicPrefix());
        final StreamedTopics topics = new StreamedTopics(catalogue);
        final PartitionSpace space = new PartitionSpace(topics, partitionCounts(config, topics));
        final GatewayMetrics metrics = new GatewayMetrics(registry);
        final ExecutorService senders = sendThreads();
        final Hub hub = new Hub(space, senders);
        final StateTable table = new StateTable();
        final String instance = UUID.randomUUID().toString().substring(0, 8);
        final LiveTailer tailer = new LiveTailer(consumer(config, "sitewire-gateway-live-" + instance), space,
                topics.tableOnly(), decoder, hub, table, metrics);
        tailer.start(Duration.ofSeconds(60));
        final ReplayService replay = new ReplayService(() -> replayConsumer(config, "sitewire-gateway-replay-" + instance), space,
                decoder, config.replayConcurrency(), config.replayTimeout(), metrics);
        final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            final Thread t = new Thread(r, "sitewire-gateway-timer");
            t.setDaemon(true);
            return t;
        });
        // Every connection schedules its token-expiry close and cancels it when it ends: without this a cancelled task
        // stays queued until the token would have expired (the one-hour soak saw one per reconnect pile up).
        scheduler.setRemoveOnCancelPolicy(true);
        final Set<Connection> connections = ConcurrentHashMap.newKeySet();
        metrics.queuedFramesFrom(() -> connections.stream().mapToLong(Connection::queued).sum());
        metrics.deepestQueueFrom(() -> connections.stream().mapToInt(Connection::queued).max().orElse(0));
        final QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("sitewire-gateway-http");
        final StreamContext ctx = new StreamContext(config, space, hub, replay, table, access, metrics, scheduler, senders, connections);
        metrics.gauge("sitewire.gateway.rooms", hub::roomCount);
        metrics.gauge("sitewire.gateway.connections.congested", () -> hub.congestion().congested());

        final Server server = new Server(threads);
        final ServerConnector connector = new ServerConnector(server);
        connector.setHost(config.bindHost());
        connector.setPort(config.port());
        // The JDK's default listen backlog is 50: when hundreds of phones connect at once (a shift start, every client
        // of a restarted instance) the kernel drops the handshakes past it and the clients retry a second or more
        // later. The kernel caps this at net.core.somaxconn.
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        server.addConnector(connector);

        final PathMappingsHandler routes = new PathMappingsHandler();
        routes.addMapping(PathSpec.from("/healthz"), new TextHandler(() -> new TextHandler.Answer(200, "text/plain", "ok\n")));
        routes.addMapping(PathSpec.from("/readyz"), new TextHandler(() -> tailer.ready()
                ? new TextHandler.Answer(200, "text/plain", "ready\n")
                : new TextHandler.Answer(503, "text/plain", "not ready: live tailer not assigned or state table loading\n")));
        routes.addMapping(PathSpec.from("/metrics"), new TextHandler(() ->
                new TextHandler.Answer(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape())));
        routes.addMapping(PathSpec.from(EVENTS_PATH), ingest != null ? ingest : new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(final Request request, final Response response, final Callback callback) {
                Response.writeError(request, response, callback, 503, "ingest not configured");
                return true;
            }
        });
        routes.addMapping(PathSpec.from(REPLAY_PATH), replayHttp != null ? replayHttp : new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(final Request request, final Response response, final Callback callback) {
                Response.writeError(request, response, callback, 503, "replay not configured");
                return true;
            }
        });
        final ResourceHandler statics = new ResourceHandler();
        statics.setBaseResource(ResourceFactory.of(server).newClassLoaderResource("/static"));
        statics.setDirAllowed(false);
        statics.setWelcomeFiles(List.of("index.html"));
        routes.addMapping(PathSpec.from("/"), statics);

        final ContextHandler context = new ContextHandler("/");
        final WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setIdleTimeout(config.idleTimeout().plus(config.heartbeatInterval()));
            container.setMaxTextMessageSize(4L * config.maxFrameBytes());
            container.setMaxBinaryMessageSize(config.maxFrameBytes());
            // Frames a send round hands over with more to follow are copied into one buffer of this size and written
            // with one system call when it is full or the round ends. At Jetty's 4 KB about six event frames fit,
            // and a wide fan-out made a write per six frames; a round is at most Connection.MAX_IN_FLIGHT frames,
            // which is also what bounds the bytes a stalled connection holds here.
            container.setOutputBufferSize(OUTPUT_BUFFER_BYTES);
            container.addMapping(STREAM_PATH, (request, response, callback) -> {
                final String origin = request.getHeaders().get(HttpHeader.ORIGIN);
                final String host = request.getHeaders().get(HttpHeader.HOST);
                if (!config.originAllowed(origin, host)) {
                    Response.writeError(request, response, callback, 403, "origin not allowed: " + origin);
                    return null;
                }
                if (!config.permessageDeflate()) {
                    response.setExtensions(List.of()); // decline permessage-deflate whatever the client offers
                }
                final String token = token(request);
                try {
                    final Identity identity = access.authenticate(token);
                    return new Connection(ctx, identity, null);
                } catch (final AccessDenied denied) {
                    return new Connection(ctx, null, denied);
                }
            });
        });
        ws.setHandler(routes);
        context.setHandler(ws);
        server.setHandler(context);
        server.setStopTimeout(5_000);
        server.start();

        final long beat = config.heartbeatInterval().toMillis();
        scheduler.scheduleAtFixedRate(() -> {
            for (final Connection c : connections) {
                try {
                    c.heartbeat();
                } catch (final RuntimeException e) {
                    LOG.debug("heartbeat failed", e);
                }
            }
        }, beat, beat, TimeUnit.MILLISECONDS);
        final GatewayServer gateway = new GatewayServer(config, server, tailer, replay, scheduler, senders, metrics, connections, hub);
        LOG.info("Sitewire gateway listening on {} ({} streamed partitions)", gateway.uri(), space.size());
        return gateway;
    }

    /** The bearer token of an upgrade request: Authorization header, else the access_token query parameter. */
    static String token(final Request request) {
        final String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        final Fields query = Request.extractQueryParameters(request);
        final Fields.Field field = query.get("access_token");
        return field == null ? null : field.getValue();
    }

    private static int[] partitionCounts(final GatewayConfig config, final StreamedTopics topics) throws Exception {
        final Map<String, Object> props = new HashMap<>(config.kafka());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            final List<String> names = new ArrayList<>();
            topics.all().forEach(t -> names.add(t.name()));
            topics.tableOnly().forEach(t -> names.add(t.name()));
            final Map<String, TopicDescription> described;
            try {
                described = admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS);
            } catch (final java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("streamed topics missing or Kafka unreachable at " + config.bootstrapServers()
                        + " (provision the topics first): " + e.getCause().getMessage(), e.getCause());
            }
            final int[] counts = new int[topics.size()];
            for (final StreamedTopic t : topics.all()) {
                counts[t.index()] = described.get(t.name()).partitions().size();
            }
            return counts;
        }
    }

    static Consumer<String, byte[]> consumer(final GatewayConfig config, final String clientId) {
        return consumer(new HashMap<>(config.kafka()), config, clientId);
    }

    private static Consumer<String, byte[]> consumer(final Map<String, Object> props, final GatewayConfig config, final String clientId) {
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assign only: no group, no commits
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A history consumer: like the tailer's, with a fetch of at most 8 MiB (Kafka's default is 50 MiB), since
     * {@code replay.concurrency} of them can be reading at once in the gateway's heap.
     */
    static Consumer<String, byte[]> replayConsumer(final GatewayConfig config, final String clientId) {
        final Map<String, Object> props = new HashMap<>(config.kafka());
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, ReplayHttpHandler.FETCH_MAX_BYTES);
        return consumer(props, config, clientId);
    }

    public URI uri() {
        final int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        return URI.create("http://127.0.0.1:" + port);
    }

    public URI streamUri() {
        return URI.create(uri().toString().replace("http://", "ws://") + STREAM_PATH);
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public boolean ready() {
        return tailer.ready();
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public int connectionCount() {
        return connections.size();
    }

    public Hub hub() {
        return hub;
    }

    public GatewayConfig config() {
        return config;
    }

    /** Closes every connection with 1001 (clients resume elsewhere), then stops. */
    @Override
    public void close() {
        for (final Connection c : List.copyOf(connections)) {
            c.close(1001, "gateway shutting down");
        }
        scheduler.shutdownNow();
        try {
            server.stop();
        } catch (final Exception e) {
            LOG.warn("stopping Jetty failed", e);
        }
        replay.close();
        tailer.close();
        senders.shutdown();
    }

    /**
     * The threads that write frames to clients, one per core: the live tailer only queues frames and wakes a connection's
     * pump here, so its pace does not depend on socket writes, and frames that queue up meanwhile leave in one write.
     * More threads than cores would only contend for them.
     */
    private static ExecutorService sendThreads() {
        // A fork-join pool in FIFO mode: a wide fan-out hands it one task per connection, and its lock-free submission
        // queue costs the tailer less per task than a thread pool's blocking queue (its workers are daemons).
        final java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return new ForkJoinPool(Math.max(2, Runtime.getRuntime().availableProcessors()), pool -> {
            final ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("sitewire-gateway-send-" + n.incrementAndGet());
            return t;
        }, (thread, error) -> LOG.error("a send thread failed", error), true);
    }

    /** A fresh Prometheus registry. */
    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
