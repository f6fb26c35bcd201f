package io.shardbank.cluster;

import com.typesafe.config.Config;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens at a node's address in front of its Artery TCP transport and passes on only connections
 * that keep to Artery's framing within bounds ({@link ArteryFrameCheck}).
 *
 * <p>Pekko 1.7.0 does not bound the length a frame declares on an inbound connection (README,
 * Robustness): one connection that declares a large frame and streams bytes exhausts the node's
 * heap, and some declared lengths make Artery spin for good. So a guarded node's Artery binds an
 * ephemeral loopback port (its canonical address stays the node's address), and this guard relays
 * each connection there, closing it when it
 * <ul>
 *   <li>breaks the framing, or declares a frame over {@code maximum-frame-size}
 *       ({@code maximum-large-frame-size} on the large-message stream);
 *   <li>takes longer than the frame timeout for its header and first frame, or for any later frame
 *       once that frame began (between frames a connection may stay idle);
 *   <li>would raise the bytes of incomplete frames relayed over all connections, which Artery
 *       buffers until each frame is whole, above the node's budget.
 * </ul>
 * Connections beyond the connection limit are closed at once. Nothing reaches Artery before a
 * connection sent its first bytes and they passed the check: its Artery connection opens with them.
 */
final class InboundFrameGuard {

    /** Pekko setting: whether nodes listen through this guard. */
    static final String ENABLED_KEY = "shardbank.remoting.inbound-guard.enabled";
    private static final String SETTINGS_PATH = "shardbank.remoting.inbound-guard";
    /** Pekko setting: how long binding a port may take (Artery's, which the guard shares). */
    private static final String BIND_TIMEOUT_KEY = "pekko.remote.artery.bind.bind-timeout";
    private static final String REMOTE_DISPATCHER = "pekko.remote.default-remote-dispatcher";
    private static final Logger LOG = LoggerFactory.getLogger(InboundFrameGuard.class);

    private final Limits limits;
    private final Duration bindTimeout;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong incompleteFrameBytes = new AtomicLong();
    /** Set while new connections are refused, so that the log says so once per episode. */
    private final AtomicBoolean refusing = new AtomicBoolean();
    private volatile Tcp.ServerBinding binding;

    private InboundFrameGuard(Limits limits, Duration bindTimeout) {
        this.limits = limits;
        this.bindTimeout = bindTimeout;
    }

    static boolean enabled(Config config) {
        return config.getBoolean(ENABLED_KEY);
    }

    /** The Artery settings of a guarded node: Artery itself listens on an ephemeral loopback port. */
    static Map<String, Object> arteryBindSettings() {
        return Map.of("pekko.remote.artery.bind.hostname", "127.0.0.1", "pekko.remote.artery.bind.port", 0);
    }

    /**
     * Binds {@code host:port} and relays every connection that passes the check to {@code artery};
     * returns once bound, or throws if the address cannot be bound.
     */
    static InboundFrameGuard start(ActorSystem<?> system, String host, int port, InetSocketAddress artery) {
        Config config = system.settings().config();
        InboundFrameGuard guard = new InboundFrameGuard(Limits.from(config), config.getDuration(BIND_TIMEOUT_KEY));
        Attributes dispatcher = ActorAttributes.dispatcher(REMOTE_DISPATCHER);
        CompletionStage<Tcp.ServerBinding> bound = Tcp.get(system).bind(host, port)
                .to(Sink.foreach(connection -> guard.onConnection(system, connection, artery, dispatcher)))
                .withAttributes(dispatcher)
                .run(system);
        try {
            guard.binding = bound.toCompletableFuture().get(guard.bindTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return guard;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot listen at " + host + ":" + port + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "cannot listen at " + host + ":" + port + " within " + guard.bindTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + host + ":" + port, e);
        }
    }

    private void onConnection(ActorSystem<?> system, Tcp.IncomingConnection connection, InetSocketAddress artery,
            Attributes dispatcher) {
        if (connections.incrementAndGet() > limits.connectionsMax()) {
            connections.decrementAndGet();
            if (refusing.compareAndSet(false, true)) {
                LOG.warn("{} inbound connections open, the limit: refusing more (first {})", limits.connectionsMax(),
                        connection.remoteAddress());
            }
            connection.handleWith(Flow.fromSinkAndSource(Sink.cancelled(), Source.empty()), system);
            return;
        }
        refusing.set(false);
        Flow<ByteString, ByteString, ?> relay = Flow.fromGraph(new CheckStage(this, connection.remoteAddress()))
                .via(Flow.lazyFlow(() -> Tcp.get(system).outgoingConnection(artery.getHostString(), artery.getPort())))
                .watchTermination(Keep.right())
                .mapMaterializedValue(ended -> ended.whenComplete((done, error) -> connections.decrementAndGet()))
                .withAttributes(dispatcher);
        connection.handleWith(relay, system);
    }

    /** Connections open through the guard now. */
    int openConnections() {
        return connections.get();
    }

    /** Stops accepting connections; those relayed already end with the ActorSystem. */
    void unbind() {
        try {
            binding.unbind().toCompletableFuture().get(bindTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("could not unbind {}: {}", binding.localAddress(), e.toString());
        }
    }

    /** The guard's bounds, read once from the system's configuration. */
    record Limits(List<ByteString> acceptedMagics, int frameSizeMax, int largeFrameSizeMax, Duration frameTimeout,
            long incompleteFrameBytesMax, int connectionsMax) {

        static Limits from(Config config) {
            Config advanced = config.getConfig("pekko.remote.artery.advanced");
            Config guard = config.getConfig(SETTINGS_PATH);
            // Artery takes the first four UTF-8 bytes of each configured magic.
            List<ByteString> magics = advanced.getStringList("tcp-magic").stream()
                    .map(text -> ByteString.fromArray(text.getBytes(StandardCharsets.UTF_8))
                            .take(ArteryFrameCheck.MAGIC_LENGTH))
                    .toList();
            Limits limits = new Limits(magics, toIntBytes(advanced.getBytes("maximum-frame-size")),
                    toIntBytes(advanced.getBytes("maximum-large-frame-size")), guard.getDuration("frame-timeout"),
                    guard.getBytes("incomplete-frame-bytes-max"), guard.getInt("connections-max"));
            if (limits.incompleteFrameBytesMax() < Math.max(limits.frameSizeMax(), limits.largeFrameSizeMax())
                    || limits.connectionsMax() <= 0 || limits.frameTimeout().isNegative()
                    || limits.frameTimeout().isZero()) {
                throw new IllegalArgumentException("bad setting: " + SETTINGS_PATH
                        + " needs incomplete-frame-bytes-max >= maximum-large-frame-size and maximum-frame-size,"
                        + " connections-max > 0, frame-timeout > 0");
            }
            return limits;
        }

        private static int toIntBytes(long bytes) {
            return (int) Math.min(bytes, Integer.MAX_VALUE);
        }

        ArteryFrameCheck newCheck() {
            return new ArteryFrameCheck(acceptedMagics, frameSizeMax, largeFrameSizeMax);
        }
    }

    /** Passes a connection's bytes on unchanged while they keep to the bounds; fails the connection otherwise. */
    private static final class CheckStage extends GraphStage<FlowShape<ByteString, ByteString>> {
        private static final String FRAME_TIMER = "frame";
        private final Inlet<ByteString> in = Inlet.create("InboundFrameGuard.in");
        private final Outlet<ByteString> out = Outlet.create("InboundFrameGuard.out");
        private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
        private final InboundFrameGuard guard;
        private final InetSocketAddress remote;

        CheckStage(InboundFrameGuard guard, InetSocketAddress remote) {
            this.guard = guard;
            this.remote = remote;
        }

        @Override
        public FlowShape<ByteString, ByteString> shape() {
            return shape;
        }

        @Override
        public GraphStageLogic createLogic(Attributes inheritedAttributes) {
            return new CheckLogic();
        }

        private final class CheckLogic extends TimerGraphStageLogic {
            private final Limits limits = guard.limits;
            private final ArteryFrameCheck check = limits.newCheck();
            /** This connection's share of the guard's incomplete-frame bytes. */
            private long incompleteFrameBytes;

            CheckLogic() {
                super(shape);
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        onBytes(grab(in));
                    }
                });
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        pull(in);
                    }
                });
            }

            @Override
            public void preStart() {
                scheduleOnce(FRAME_TIMER, limits.frameTimeout());
            }

            private void onBytes(ByteString bytes) {
                long framesBefore = check.framesCompleted();
                Optional<String> rejection = check.accept(bytes);
                if (rejection.isPresent()) {
                    reject(rejection.get());
                    return;
                }
                long growth = check.incompleteFrameBytes() - incompleteFrameBytes;
                incompleteFrameBytes += growth;
                long total = guard.incompleteFrameBytes.addAndGet(growth);
                if (growth > 0 && total > limits.incompleteFrameBytesMax()) {
                    reject("incomplete frames over all connections would hold " + total + " bytes, over "
                            + limits.incompleteFrameBytesMax());
                    return;
                }
                // Each frame gets the frame timeout from (about) its first byte: the timer restarts when
                // these bytes began a frame, also one that follows a frame they completed.
                if (check.betweenFrames()) {
                    cancelTimer(FRAME_TIMER);
                } else if (check.framesCompleted() > framesBefore || !isTimerActive(FRAME_TIMER)) {
                    scheduleOnce(FRAME_TIMER, limits.frameTimeout());
                }
                push(out, bytes);
            }

            @Override
            public void onTimer(Object key) {
                reject(check.framesCompleted() == 0
                        ? "no header and first frame within " + limits.frameTimeout().toMillis() + " ms"
                        : "frame " + (check.framesCompleted() + 1) + " incomplete after "
                                + limits.frameTimeout().toMillis() + " ms");
            }

            @Override
            public void postStop() {
                guard.incompleteFrameBytes.addAndGet(-incompleteFrameBytes);
                incompleteFrameBytes = 0;
            }

            private void reject(String reason) {
                LOG.warn("closed the connection from {}: {}", remote, reason);
                failStage(new RejectedConnection(reason));
            }
        }
    }

    /** Ends a connection that broke the bounds; the message says how. */
    static final class RejectedConnection extends RuntimeException {
        RejectedConnection(String reason) {
            super(reason, null, false, false);
        }
    }
}
