package io.shardbank.bench;

import io.shardbank.client.ShardbankClient;
import io.shardbank.model.ClusterId;
import io.shardbank.model.ShardMap;
import io.shardbank.shard.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;

/**
 * A stream of operations for the load driver: bank transfers between random items, a share of them
 * across clusters, a share of reads, with uniform or Zipf-skewed item choice. Seeded, so a run's
 * operation stream can be repeated.
 */
public final class Workload {

    /** One operation of the stream, and whether it crosses clusters. */
    public record Step(boolean read, boolean crossCluster, int from, int to, long amount) {
        public CompletionStage<Outcome> submit(ShardbankClient client) {
            return read ? client.read(from) : client.transfer(from, to, amount);
        }
    }

    private final ShardMap shardMap;
    private final int clusterCount;
    private final double readRatio;
    private final double crossRatio;
    private final ZipfItems zipf;
    private final List<List<Integer>> itemsByCluster = new ArrayList<>();
    private final SplittableRandom random;

    /**
     * @param readRatio share of reads, 0..1
     * @param crossRatio share of transfers whose receiver is in another cluster, 0..1
     * @param skew Zipf exponent of item popularity within a cluster (0 = uniform)
     */
    public Workload(ShardMap shardMap, int clusterCount, double readRatio, double crossRatio, double skew, long seed) {
        if (readRatio < 0 || readRatio > 1 || crossRatio < 0 || crossRatio > 1 || skew < 0) {
            throw new IllegalArgumentException("read and cross ratios must be in 0..1 and skew >= 0");
        }
        this.shardMap = shardMap;
        this.clusterCount = clusterCount;
        this.readRatio = readRatio;
        this.crossRatio = clusterCount > 1 ? crossRatio : 0;
        this.random = new SplittableRandom(seed);
        for (int c = 1; c <= clusterCount; c++) {
            List<Integer> items = new ArrayList<>();
            for (int item = 1; item <= shardMap.itemCount(); item++) {
                if (shardMap.owns(new ClusterId(c), item)) {
                    items.add(item);
                }
            }
            itemsByCluster.add(items);
        }
        int smallest = itemsByCluster.stream().mapToInt(List::size).min().orElse(1);
        this.zipf = skew > 0 ? new ZipfItems(smallest, skew) : null;
    }

    public Step next() {
        int cluster = random.nextInt(clusterCount);
        int from = pick(cluster);
        if (random.nextDouble() < readRatio) {
            return new Step(true, false, from, 0, 0);
        }
        boolean cross = random.nextDouble() < crossRatio;
        int toCluster = cross ? (cluster + 1 + random.nextInt(clusterCount - 1)) % clusterCount : cluster;
        int to = pick(toCluster);
        while (to == from) {
            to = pick(toCluster);
        }
        return new Step(false, cross, from, to, 1);
    }

    private int pick(int cluster) {
        List<Integer> items = itemsByCluster.get(cluster);
        int index = zipf == null ? random.nextInt(items.size()) : zipf.next(random) % items.size();
        return items.get(index);
    }

    /** Zipf-distributed ranks 0..n-1 by inverse transform over a precomputed table. */
    private static final class ZipfItems {
        private final double[] cumulative;

        ZipfItems(int n, double exponent) {
            cumulative = new double[n];
            double sum = 0;
            for (int rank = 0; rank < n; rank++) {
                sum += 1.0 / Math.pow(rank + 1, exponent);
                cumulative[rank] = sum;
            }
            for (int rank = 0; rank < n; rank++) {
                cumulative[rank] /= sum;
            }
        }

        int next(SplittableRandom random) {
            double u = random.nextDouble();
            int low = 0;
            int high = cumulative.length - 1;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (cumulative[mid] < u) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }
    }

    ShardMap shardMap() {
        return shardMap;
    }
}
