package io.shardbank.harness;

import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import io.shardbank.node.NodeProtocol;
import java.util.Map;

/**
 * Decides from the nodes' status whether the live replicas have caught up: in every cluster, each
 * live node has applied every slot any live member knows to be chosen. The harness waits for this
 * before a failure and at the end of a set, so that a node fails holding everything committed
 * before its {@code F} row, and PrintDB shows the state the file's order implies rather than a
 * follower a heartbeat behind.
 */
final class ReplicaProgress {

    private ReplicaProgress() {
    }

    /** {@code statuses} holds the status of every live node; a missing one means "not known yet". */
    static boolean caughtUp(Topology topology, Iterable<NodeId> live, Map<NodeId, NodeProtocol.Status> statuses) {
        Map<ClusterId, Long> chosen = new java.util.HashMap<>();
        for (NodeId node : live) {
            NodeProtocol.Status status = statuses.get(node);
            if (status == null) {
                return false;
            }
            chosen.merge(topology.clusterOf(node), status.commitIndex(), Math::max);
        }
        for (NodeId node : live) {
            if (statuses.get(node).appliedSlot() < chosen.get(topology.clusterOf(node))) {
                return false;
            }
        }
        return true;
    }
}
