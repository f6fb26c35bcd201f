package io.shardbank.reshard;

import io.shardbank.model.ShardMap;

/**
 * The planning half of resharding, pure and deterministic: from the recent transactions and the
 * current shard map to a {@link MovePlan}. It reads no clock and draws no random numbers of its
 * own (ties follow {@link ReshardSettings#plannerSeed()}), so the same log, map and settings always
 * give the same plan, whichever node or test computes it.
 */
public final class ReshardPlanner {

    private final ReshardSettings settings;

    public ReshardPlanner(ReshardSettings settings) {
        this.settings = settings;
    }

    public ReshardSettings settings() {
        return settings;
    }

    /**
     * Plans the moves over {@code clusterCount} clusters. An empty log gives an empty plan.
     *
     * @throws IllegalArgumentException if {@code clusterCount < 1}, the map uses a cluster above it,
     *     or the log names an item the map does not have
     */
    public MovePlan plan(AccessLog log, ShardMap current, int clusterCount) {
        Partitioner partitioner = new Partitioner(clusterCount, settings);
        Hypergraph graph = Hypergraph.of(log, current.itemCount());
        Partitioner.Result result = partitioner.partitionWithCost(graph, current);
        int[] owners = Partitioner.owners(result.parts());
        long cutBefore = graph.cut(item -> current.clusterOf(item).index());
        long cutAfter = graph.cut(item -> owners[item]);
        return MovePlan.of(current, owners, cutBefore, cutAfter, graph.totalWeight(), result.moveCostTransactions(),
                result.raised());
    }
}
