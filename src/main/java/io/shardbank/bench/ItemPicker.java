package io.shardbank.bench;

import io.shardbank.model.ClusterId;
import io.shardbank.model.ShardMap;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Picks items of one cluster, uniformly or with Zipf-skewed popularity (the same ranking in every
 * cluster: the cluster's first items are its hottest). Workloads draw all their items here.
 */
final class ItemPicker {

    private final List<int[]> itemsByCluster = new ArrayList<>();
    private final ZipfRanks zipf;

    /** @param skew Zipf exponent of item popularity within a cluster; 0 = uniform */
    ItemPicker(ShardMap shardMap, int clusterCount, double skew) {
        if (skew < 0) {
            throw new IllegalArgumentException("skew must be >= 0, got " + skew);
        }
        for (int c = 1; c <= clusterCount; c++) {
            List<Integer> items = new ArrayList<>();
            for (int item = 1; item <= shardMap.itemCount(); item++) {
                if (shardMap.owns(new ClusterId(c), item)) {
                    items.add(item);
                }
            }
            if (items.isEmpty()) {
                throw new IllegalArgumentException("cluster c" + c + " owns no item");
            }
            itemsByCluster.add(items.stream().mapToInt(Integer::intValue).toArray());
        }
        int smallest = itemsByCluster.stream().mapToInt(items -> items.length).min().orElse(1);
        this.zipf = skew > 0 ? new ZipfRanks(smallest, skew) : null;
    }

    int clusterCount() {
        return itemsByCluster.size();
    }

    /** How many items cluster {@code cluster} (0-based) owns. */
    int size(int cluster) {
        return itemsByCluster.get(cluster).length;
    }

    /** The item of rank {@code rank} (0-based) in cluster {@code cluster} (0-based). */
    int item(int cluster, int rank) {
        return itemsByCluster.get(cluster)[rank];
    }

    /** An item of the cluster, skewed if the picker is. */
    int pick(int cluster, SplittableRandom random) {
        return item(cluster, rank(size(cluster), random));
    }

    /** A rank 0..n-1, skewed if the picker is (ranks above the Zipf table's size wrap around). */
    int rank(int n, SplittableRandom random) {
        return zipf == null ? random.nextInt(n) : zipf.next(random) % n;
    }

    /** A cluster other than {@code cluster}; there must be two at least. */
    int otherCluster(int cluster, SplittableRandom random) {
        return (cluster + 1 + random.nextInt(clusterCount() - 1)) % clusterCount();
    }

    /** Zipf-distributed ranks 0..n-1 by inverse transform over a precomputed table. */
    private static final class ZipfRanks {
        private final double[] cumulative;

        ZipfRanks(int n, double exponent) {
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
}
