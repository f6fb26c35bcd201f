package io.shardbank.bench;

import io.shardbank.model.ShardMap;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.Operation;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * YCSB's core workloads over items as keys: each step reads one item or updates it (adds 1). The
 * read ratio picks the workload: 0.5 is A (update heavy, the default), 0.95 is B, 1 is C. Keys
 * follow YCSB's Zipf popularity, exponent 0.99 by default, the same ranking in every cluster. Every
 * step touches one item, so a cross-cluster ratio does not apply.
 */
final class YcsbWorkload implements Workload {

    private final ItemPicker items;
    private final double readRatio;
    private final double skew;
    private final SplittableRandom random;

    YcsbWorkload(Options options, ShardMap shardMap, int clusterCount) {
        if (options.crossRatio() != null && options.crossRatio() > 0) {
            throw new IllegalArgumentException("ycsb steps touch one item each: --cross-ratio does not apply");
        }
        this.readRatio = options.readRatioOr(0.5);
        this.skew = options.skewOr(0.99);
        this.items = new ItemPicker(shardMap, clusterCount, skew);
        this.random = new SplittableRandom(options.seed());
    }

    @Override
    public Step next() {
        int item = items.pick(random.nextInt(items.clusterCount()), random);
        if (random.nextDouble() < readRatio) {
            return new Step("read", true, false, List.of(new Operation.BalanceRead(0, item)));
        }
        return new Step("update", false, false,
                List.of(new Operation.Transaction(0, List.of(new ItemDelta(item, 1)))));
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "ycsb: read-ratio=%.2f skew=%.2f", readRatio, skew);
    }

    @Override
    public java.util.Map<String, Object> knobs() {
        java.util.Map<String, Object> knobs = new java.util.LinkedHashMap<>();
        knobs.put("read_ratio", readRatio);
        knobs.put("skew", skew);
        return knobs;
    }
}
