package io.shardbank.harness;

import io.shardbank.client.ShardbankClient;
import io.shardbank.cluster.EmbeddedCluster;
import io.shardbank.config.Settings;
import io.shardbank.model.NodeId;
import java.util.List;

/** An embedded cluster whose nodes either act disconnected or really stop and restart. */
final class EmbeddedClusterControl implements ClusterControl {

    private final EmbeddedCluster cluster;
    private final FailureMode mode;

    EmbeddedClusterControl(EmbeddedCluster cluster, FailureMode mode) {
        this.cluster = cluster;
        this.mode = mode;
    }

    @Override
    public Settings settings() {
        return cluster.settings();
    }

    @Override
    public ShardbankClient client() {
        return cluster.client();
    }

    @Override
    public void prepareSet(List<NodeId> live) {
        // A flush needs every node's answer, so nodes stopped by the previous set start again first.
        for (NodeId node : settings().topology().allNodes()) {
            if (!cluster.isRunning(node)) {
                cluster.restart(node);
            }
        }
        client().flushAll();
        for (NodeId node : settings().topology().allNodes()) {
            if (!live.contains(node)) {
                fail(node);
            }
        }
    }

    @Override
    public void fail(NodeId node) {
        if (mode == FailureMode.DISCONNECT) {
            client().setFailed(node, true);
        } else if (cluster.isRunning(node)) {
            cluster.stop(node);
        }
    }

    @Override
    public void recover(NodeId node) {
        if (mode == FailureMode.DISCONNECT) {
            client().setFailed(node, false);
        } else if (!cluster.isRunning(node)) {
            cluster.restart(node);
        }
    }

    @Override
    public boolean isRunning(NodeId node) {
        return cluster.isRunning(node);
    }

    @Override
    public FailureMode failureMode() {
        return mode;
    }
}
