package io.shardbank.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.shardbank.config.Settings;
import io.shardbank.model.NodeId;
import io.shardbank.model.NodeMessage;
import io.shardbank.node.Failpoints;
import io.shardbank.node.NodeActor;
import io.shardbank.storage.NodeStore;
import io.shardbank.storage.StorageActor;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Starts and stops one node as its own ActorSystem on Artery TCP, at the host and port the settings
 * give it. Its node actor is the system's guardian, so every node is found at {@code
 * pekko://shardbank@host:port/user}.
 */
public final class NodeSystem implements AutoCloseable {

    public static final String SYSTEM_NAME = "shardbank";

    private final NodeId node;
    private final ActorSystem<NodeMessage> system;

    private NodeSystem(NodeId node, ActorSystem<NodeMessage> system) {
        this.node = node;
        this.system = system;
    }

    /**
     * Starts node {@code node}: opens its SQLite file and binds its port. The fail points that the
     * system property {@value Failpoints#PROPERTY} arms for it (tests only) are armed.
     */
    public static NodeSystem start(NodeId node, Settings settings) {
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
        Config config = remotingConfig(settings.network().hostOf(node), settings.network().portOf(node));
        ActorSystem<NodeMessage> system = ActorSystem.create(
                NodeActor.create(node, settings, index -> pathOf(settings, new NodeId(index)),
                        StorageActor.create(store),
                        Failpoints.fromSystemProperty(node, settings.storage().dataDirectory())),
                SYSTEM_NAME, config);
        PeerReconnector.install(system, settings);
        return new NodeSystem(node, system);
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

    public ActorSystem<NodeMessage> system() {
        return system;
    }

    /** Stops the node's ActorSystem and waits until it is down (its SQLite file is closed). */
    @Override
    public void close() {
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
