package io.shardbank.harness;

import io.shardbank.client.ShardbankClient;
import io.shardbank.cluster.EmbeddedCluster;
import io.shardbank.config.Settings;
import io.shardbank.model.NodeId;
import java.util.List;

/**
 * The system a harness drives: its client, and the operator actions a test set needs. Every method
 * may block while nodes answer; the {@link HarnessActor} calls them off its own thread.
 */
public interface ClusterControl extends AutoCloseable {

    Settings settings();

    ShardbankClient client();

    /**
     * Makes the system ready for a new set: every node running and flushed (initial balances, empty
     * logs, the first node of each cluster leading), then every node outside {@code live} failed.
     */
    void prepareSet(List<NodeId> live);

    /** Fails one node ({@code F(n)}). */
    void fail(NodeId node);

    /** Brings one failed node back ({@code R(n)}). */
    void recover(NodeId node);

    /** Whether the node can answer operator requests: false only for a node stopped in crash mode. */
    boolean isRunning(NodeId node);

    /** What {@code F}/{@code R} do here. */
    FailureMode failureMode();

    /** Releases what the control made itself; the cluster or client it was given stays open. */
    @Override
    default void close() {
    }

    /** Drives an embedded cluster; {@code mode} chooses what {@code F}/{@code R} do. */
    static ClusterControl embedded(EmbeddedCluster cluster, FailureMode mode) {
        return new EmbeddedClusterControl(cluster, mode);
    }

    /** Drives node processes through a connected client; nodes can only be made to act disconnected. */
    static ClusterControl connected(ShardbankClient client) {
        return new ConnectedClusterControl(client);
    }
}
