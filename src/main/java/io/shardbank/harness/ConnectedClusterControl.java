package io.shardbank.harness;

import io.shardbank.client.ShardbankClient;
import io.shardbank.config.Settings;
import io.shardbank.model.NodeId;
import java.util.List;

/** Node processes reached through a client: failures are the "act disconnected" kind. */
final class ConnectedClusterControl implements ClusterControl {

    private final ShardbankClient client;

    ConnectedClusterControl(ShardbankClient client) {
        this.client = client;
    }

    @Override
    public Settings settings() {
        return client.settings();
    }

    @Override
    public ShardbankClient client() {
        return client;
    }

    @Override
    public void prepareSet(List<NodeId> live) {
        client.flushAll();
        for (NodeId node : settings().topology().allNodes()) {
            if (!live.contains(node)) {
                client.setFailed(node, true);
            }
        }
    }

    @Override
    public void fail(NodeId node) {
        client.setFailed(node, true);
    }

    @Override
    public void recover(NodeId node) {
        client.setFailed(node, false);
    }

    @Override
    public boolean isRunning(NodeId node) {
        return true;
    }

    @Override
    public FailureMode failureMode() {
        return FailureMode.DISCONNECT;
    }
}
