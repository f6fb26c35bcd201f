package io.shardbank.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The static shape of the system: how many clusters, how many nodes in each, how many items and
 * their initial balance. Paxos membership comes from here, never from cluster gossip.
 */
public record Topology(int clusterCount, int nodesPerCluster, int itemCount, long initialBalance) {

    public Topology {
        if (clusterCount < 1) {
            throw new IllegalArgumentException("clusterCount must be >= 1, got " + clusterCount);
        }
        if (nodesPerCluster < 1) {
            throw new IllegalArgumentException("nodesPerCluster must be >= 1, got " + nodesPerCluster);
        }
        if (itemCount < clusterCount) {
            throw new IllegalArgumentException(
                    "itemCount must be >= clusterCount, got " + itemCount + " items for " + clusterCount + " clusters");
        }
        if (initialBalance < 0) {
            throw new IllegalArgumentException("initialBalance must be >= 0, got " + initialBalance);
        }
    }

    /** The course default: 3 clusters x 3 nodes, 9,000 items of balance 10. */
    public static Topology defaults() {
        return new Topology(3, 3, 9000, 10);
    }

    public int nodeCount() {
        return clusterCount * nodesPerCluster;
    }

    /** Votes needed for a decision in one cluster. */
    public int majority() {
        return nodesPerCluster / 2 + 1;
    }

    public boolean hasNode(NodeId node) {
        return node.index() <= nodeCount();
    }

    public boolean hasItem(int item) {
        return item >= 1 && item <= itemCount;
    }

    public ClusterId clusterOf(NodeId node) {
        requireNode(node);
        return new ClusterId((node.index() - 1) / nodesPerCluster + 1);
    }

    public List<NodeId> nodesOf(ClusterId cluster) {
        requireCluster(cluster);
        List<NodeId> nodes = new ArrayList<>(nodesPerCluster);
        int first = (cluster.index() - 1) * nodesPerCluster + 1;
        for (int i = 0; i < nodesPerCluster; i++) {
            nodes.add(new NodeId(first + i));
        }
        return nodes;
    }

    public List<NodeId> allNodes() {
        List<NodeId> nodes = new ArrayList<>(nodeCount());
        for (int i = 1; i <= nodeCount(); i++) {
            nodes.add(new NodeId(i));
        }
        return nodes;
    }

    public List<ClusterId> allClusters() {
        List<ClusterId> clusters = new ArrayList<>(clusterCount);
        for (int i = 1; i <= clusterCount; i++) {
            clusters.add(new ClusterId(i));
        }
        return clusters;
    }

    /** The node that leads a cluster at the start of a run and after a flush. */
    public NodeId initialLeader(ClusterId cluster) {
        return nodesOf(cluster).get(0);
    }

    /** The initial range shard map: items are split evenly, the last cluster takes the remainder. */
    public ShardMap initialShardMap() {
        return ShardMap.evenRanges(clusterCount, itemCount);
    }

    private void requireNode(NodeId node) {
        if (!hasNode(node)) {
            throw new IllegalArgumentException(
                    "unknown node " + node + ": this topology has n1..n" + nodeCount());
        }
    }

    private void requireCluster(ClusterId cluster) {
        if (cluster.index() > clusterCount) {
            throw new IllegalArgumentException(
                    "unknown cluster " + cluster + ": this topology has c1..c" + clusterCount);
        }
    }
}
