package io.shardbank.harness;

import io.shardbank.client.ShardbankClient;
import io.shardbank.cluster.EmbeddedCluster;
import io.shardbank.config.Settings;
import io.shardbank.model.NodeId;
import java.util.List;

/**
 * An embedded cluster whose nodes either act disconnected or really stop and restart.
 *
 * <p>The harness talks through a client of its own. In crash mode it is replaced after every restart:
 * a node stopped gracefully tells its peers it is terminating, and they then drop what they send
 * to that address until the new incarnation contacts them first. Nodes do that by themselves (an
 * election), but a client only ever answers, so an old client would never reach a restarted node.
 */
final class EmbeddedClusterControl implements ClusterControl {

    private final EmbeddedCluster cluster;
    private final FailureMode mode;
    private volatile ShardbankClient ownClient;

    /** Every set starts with a flush ({@link #prepareSet}), so the client connects without one. */
    EmbeddedClusterControl(EmbeddedCluster cluster, FailureMode mode) {
        this.cluster = cluster;
        this.mode = mode;
        this.ownClient = ShardbankClient.connect(cluster.settings(), cluster.settings().network().host());
    }

    @Override
    public Settings settings() {
        return cluster.settings();
    }

    @Override
    public ShardbankClient client() {
        ShardbankClient own = ownClient;
        if (own == null) {
            throw new IllegalStateException("the cluster control is closed");
        }
        return own;
    }

    @Override
    public void prepareSet(List<NodeId> live) {
        // A flush needs every node's answer, so nodes stopped by the previous set start again first.
        for (NodeId node : settings().topology().allNodes()) {
            if (!cluster.isRunning(node)) {
                restart(node);
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
            restart(node);
        }
    }

    private void restart(NodeId node) {
        cluster.restart(node);
        ShardbankClient previous = ownClient;
        ownClient = ShardbankClient.connect(settings(), settings().network().host());
        if (previous != null) {
            previous.close();
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

    @Override
    public void close() {
        ShardbankClient own = ownClient;
        ownClient = null;
        if (own != null) {
            own.close();
        }
    }
}
