package io.shardbank.harness;

import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.Topology;
import io.shardbank.node.NodeProtocol;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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

    /**
     * Whether every cluster's leadership reflects the live set: a cluster with a live majority has a
     * leader in touch with exactly its live members; in a cluster without one, no node still
     * believes it leads a majority. The harness waits for this after each F/R row, so that the
     * next commands meet a cluster that already knows whether it can commit: a leader that still
     * believed in a majority it lost would start a slot that could be chosen only after the client
     * had been told the cluster is unavailable.
     */
    static boolean leadershipSettled(Topology topology, Collection<NodeId> live, Map<NodeId, NodeProtocol.Status> statuses) {
        for (ClusterId cluster : topology.allClusters()) {
            Set<Integer> liveMembers = new TreeSet<>();
            for (NodeId member : topology.nodesOf(cluster)) {
                if (live.contains(member)) {
                    liveMembers.add(member.index());
                }
            }
            boolean hasMajority = liveMembers.size() >= topology.majority();
            boolean settled = !hasMajority;
            for (int member : liveMembers) {
                NodeProtocol.Status status = statuses.get(new NodeId(member));
                if (status == null) {
                    return false;
                }
                boolean leads = status.role().equals("LEADER");
                Set<Integer> contact = new TreeSet<>(status.inContact());
                if (hasMajority && leads && contact.equals(liveMembers)) {
                    settled = true;
                }
                if (!hasMajority && leads && contact.size() >= topology.majority()) {
                    return false;
                }
            }
            if (!settled) {
                return false;
            }
        }
        return true;
    }
}
