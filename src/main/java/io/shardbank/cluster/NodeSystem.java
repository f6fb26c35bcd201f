package io.shardbank.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.shardbank.config.Settings;
import io.shardbank.model.NodeId;
import io.shardbank.node.Failpoints;
import io.shardbank.node.NodeActor;
import io.shardbank.storage.NodeStore;
import io.shardbank.storage.StorageActor;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.remote.RemoteActorRefProvider;
import org.apache.pekko.remote.artery.ArteryTransport;

/**
 * Starts and stops one node as its own ActorSystem on Artery TCP, at the host and port the settings
 * give it. Its node actor is the system's guardian, so every node is found at {@code
 * pekko://shardbank@host:port/user}. Unless switched off, an {@link InboundFrameGuard} listens at that
 * address and relays checked connections to Artery, which then binds an ephemeral loopback port.
 */
public final class NodeSystem implements AutoCloseable {

    public static final String SYSTEM_NAME = "shardbank";

    private final NodeId node;
    private final ActorSystem<NodeActor.Command> system;
    /** Listens at the node's address in front of Artery; absent when the guard is switched off. */
    private final InboundFrameGuard guard;

    private NodeSystem(NodeId node, ActorSystem<NodeActor.Command> system, InboundFrameGuard guard) {
        this.node = node;
        this.system = system;
        this.guard = guard;
    }

    /**
     * Starts node {@code node}: opens its SQLite file and binds its port. The fail points that the
     * system property {@value Failpoints#PROPERTY} arms for it (tests only) are armed.
     */
    public static NodeSystem start(NodeId node, Settings settings) {
        return start(node, settings, true);
    }

    /**
     * Starts node {@code node}; with {@code guardPort}, it listens through an {@link InboundFrameGuard}
     * when the configuration enables one. The embedded cluster passes false: its nodes share one JVM
     * on loopback, for development, tests and benchmarks, where the guard's relay would only cost
     * throughput; node processes, whose ports a deployment exposes, keep it.
     */
    public static NodeSystem start(NodeId node, Settings settings, boolean guardPort) {
        if (!settings.topology().hasNode(node)) {
            throw new IllegalArgumentException("unknown node " + node + ": this topology has n1..n"
                    + settings.topology().nodeCount());
        }
        NodeStore store;
        try {
            store = new NodeStore(settings.storage().fileOf(node), settings.storage().synchronous());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the database of " + node + ": " + e.getMessage(), e);
        }
        String host = settings.network().hostOf(node);
        int port = settings.network().portOf(node);
        Config config = remotingConfig(host, port);
        boolean guarded = guardPort && InboundFrameGuard.enabled(config);
        if (guarded) {
            config = ConfigFactory.parseMap(InboundFrameGuard.arteryBindSettings()).withFallback(config);
        }
        ActorSystem<NodeActor.Command> system = ActorSystem.create(
                NodeActor.create(node, settings, index -> pathOf(settings, new NodeId(index)),
                        StorageActor.create(store),
                        Failpoints.fromSystemProperty(node, settings.storage().dataDirectory())),
                SYSTEM_NAME, config);
        InboundFrameGuard guard = null;
        if (guarded) {
            try {
                guard = InboundFrameGuard.start(system, host, port, arteryBindAddress(system));
            } catch (RuntimeException e) {
                system.terminate();
                throw e;
            }
        }
        PeerReconnector.install(system, settings);
        return new NodeSystem(node, system, guard);
    }

    /** Where Artery itself listens: with the guard, an ephemeral loopback port that only the guard uses. */
    private static InetSocketAddress arteryBindAddress(ActorSystem<?> system) {
        ExtendedActorSystem classic = (ExtendedActorSystem) Adapter.toClassic(system);
        Address bound = ((ArteryTransport) ((RemoteActorRefProvider) classic.provider()).transport())
                .bindAddress().address();
        return InetSocketAddress.createUnresolved(bound.getHost().get(), bound.getPort().get());
    }

    /** The Pekko configuration of a system listening at host:port, on top of application.conf. */
    public static Config remotingConfig(String host, int port) {
        return ConfigFactory.parseMap(Map.of(
                        "pekko.remote.artery.canonical.hostname", host,
                        "pekko.remote.artery.canonical.port", port))
                .withFallback(ConfigFactory.load());
    }

    public NodeId node() {
        return node;
    }

    public ActorSystem<NodeActor.Command> system() {
        return system;
    }

    /** Stops the node's ActorSystem and waits until it is down (its SQLite file is closed). */
    @Override
    public void close() {
        if (guard != null) {
            guard.unbind();
        }
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException(node + " did not stop within 30 s", e);
        }
    }

    public static String pathOf(Settings settings, NodeId node) {
        return "pekko://" + SYSTEM_NAME + "@" + settings.network().hostOf(node) + ":" + settings.network().portOf(node)
                + "/user";
    }
}
