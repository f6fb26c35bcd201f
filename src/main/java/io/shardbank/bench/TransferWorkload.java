package io.shardbank.bench;

import io.shardbank.model.ShardMap;
import io.shardbank.shard.Operation;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Bank transfers of 1 between two items, a share of them across clusters, and a share of reads.
 * Defaults: no reads, no cross-cluster transfers, uniform items.
 */
final class TransferWorkload implements Workload {

    private final ItemPicker items;
    private final double readRatio;
    private final double crossRatio;
    private final double skew;
    private final SplittableRandom random;

    TransferWorkload(Options options, ShardMap shardMap, int clusterCount) {
        this.readRatio = options.readRatioOr(0);
        this.crossRatio = clusterCount > 1 ? options.crossRatioOr(0) : 0;
        this.skew = options.skewOr(0);
        this.items = new ItemPicker(shardMap, clusterCount, skew);
        this.random = new SplittableRandom(options.seed());
    }

    @Override
    public Step next() {
        int cluster = random.nextInt(items.clusterCount());
        int from = items.pick(cluster, random);
        if (random.nextDouble() < readRatio) {
            return new Step("read", true, false, List.of(new Operation.BalanceRead(0, from)));
        }
        boolean cross = random.nextDouble() < crossRatio;
        int toCluster = cross ? items.otherCluster(cluster, random) : cluster;
        int to = items.pick(toCluster, random);
        while (to == from) {
            to = items.pick(toCluster, random);
        }
        return new Step("transfer", false, cross, List.of(new Operation.Transfer(0, from, to, 1)));
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "transfer: read-ratio=%.2f cross-ratio=%.2f skew=%.2f", readRatio,
                crossRatio, skew);
    }
}
