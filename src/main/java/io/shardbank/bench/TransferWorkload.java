package io.shardbank.bench;

import io.shardbank.model.ShardMap;
import io.shardbank.shard.Operation;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Bank transfers of 1 between two items, a share of them across clusters, and a share of reads.
 * Defaults: no reads, no cross-cluster transfers, uniform items. With affinity groups, a transfer
 * stays inside one hidden group of items with the affinity's probability, else joins two items
 * anywhere; whether it crosses clusters then follows from the shard map.
 */
final class TransferWorkload implements Workload {

    private final ItemPicker items;
    private final double readRatio;
    private final double crossRatio;
    private final double skew;
    private final SplittableRandom random;
    private final ShardMap shardMap;
    /** Null unless the options ask for affinity groups; units are items - 1. */
    private final AffinityGroups groups;
    private final double affinity;

    TransferWorkload(Options options, ShardMap shardMap, int clusterCount) {
        this.readRatio = options.readRatioOr(0);
        this.crossRatio = clusterCount > 1 ? options.crossRatioOr(0) : 0;
        this.skew = options.skewOr(0);
        this.items = new ItemPicker(shardMap, clusterCount, skew);
        this.random = new SplittableRandom(options.seed());
        this.shardMap = shardMap;
        this.groups = options.groupsOver(shardMap.itemCount());
        this.affinity = options.affinityOrDefault();
    }

    @Override
    public Step next() {
        int cluster = random.nextInt(items.clusterCount());
        int from = items.pick(cluster, random);
        if (random.nextDouble() < readRatio) {
            return new Step("read", true, false, List.of(new Operation.BalanceRead(0, from)));
        }
        if (groups != null) {
            return groupedTransfer();
        }
        boolean cross = random.nextDouble() < crossRatio;
        int toCluster = cross ? items.otherCluster(cluster, random) : cluster;
        int to = items.pick(toCluster, random);
        while (to == from) {
            to = items.pick(toCluster, random);
        }
        return new Step("transfer", false, cross, List.of(new Operation.Transfer(0, from, to, 1)));
    }

    private Step groupedTransfer() {
        int[] pair = random.nextDouble() < affinity ? groups.pairInGroup(random) : groups.pairAnywhere(random);
        int from = pair[0] + 1;
        int to = pair[1] + 1;
        boolean cross = !shardMap.clusterOf(from).equals(shardMap.clusterOf(to));
        return new Step("transfer", false, cross, List.of(new Operation.Transfer(0, from, to, 1)));
    }

    @Override
    public String describe() {
        if (groups != null) {
            return String.format(Locale.ROOT, "transfer: read-ratio=%.2f affinity-groups=%d affinity=%.2f", readRatio,
                    groups.groupCount(), affinity);
        }
        return String.format(Locale.ROOT, "transfer: read-ratio=%.2f cross-ratio=%.2f skew=%.2f", readRatio,
                crossRatio, skew);
    }

    @Override
    public java.util.Map<String, Object> knobs() {
        java.util.Map<String, Object> knobs = new java.util.LinkedHashMap<>();
        knobs.put("read_ratio", readRatio);
        if (groups != null) {
            knobs.put("affinity_groups", groups.groupCount());
            knobs.put("affinity", affinity);
        } else {
            knobs.put("cross_shard_ratio", crossRatio);
            knobs.put("skew", skew);
        }
        return knobs;
    }
}
