package io.shardbank.model;

import java.util.Arrays;
import java.util.Map;

/**
 * Which cluster owns which item, with a version that grows with every change. Immutable: a
 * change (a reshard move) makes a new map.
 */
public final class ShardMap {

    private final long version;
    private final int clusterCount;
    /** owner[item] = cluster index; owner[0] unused. */
    private final int[] owner;

    private ShardMap(long version, int clusterCount, int[] owner) {
        this.version = version;
        this.clusterCount = clusterCount;
        this.owner = owner;
    }

    /** Items 1..itemCount split into clusterCount contiguous ranges of equal size (last takes the rest). */
    public static ShardMap evenRanges(int clusterCount, int itemCount) {
        int[] owner = new int[itemCount + 1];
        int per = itemCount / clusterCount;
        for (int item = 1; item <= itemCount; item++) {
            owner[item] = Math.min(clusterCount, (item - 1) / per + 1);
        }
        return new ShardMap(1, clusterCount, owner);
    }

    public long version() {
        return version;
    }

    public int itemCount() {
        return owner.length - 1;
    }

    public boolean hasItem(int item) {
        return item >= 1 && item < owner.length;
    }

    public ClusterId clusterOf(int item) {
        if (!hasItem(item)) {
            throw new IllegalArgumentException("unknown item " + item + ": items are 1.." + itemCount());
        }
        return new ClusterId(owner[item]);
    }

    public boolean owns(ClusterId cluster, int item) {
        return hasItem(item) && owner[item] == cluster.index();
    }

    /**
     * A new map, one version up, with every item of {@code moves} moved to its cluster at once: a
     * reshard plan changes the map as one step, so nodes and clients see one version per plan rather
     * than one per item.
     */
    public ShardMap withOwners(Map<Integer, ClusterId> moves) {
        return withOwners(moves, version + 1);
    }

    /**
     * A new map at {@code newVersion} with every item of {@code moves} moved to its cluster: a
     * migration carries out one batch of a plan, and every batch of the plan names the plan's version.
     */
    public ShardMap withOwners(Map<Integer, ClusterId> moves, long newVersion) {
        int[] next = Arrays.copyOf(owner, owner.length);
        int clusters = clusterCount;
        for (Map.Entry<Integer, ClusterId> move : moves.entrySet()) {
            if (!hasItem(move.getKey())) {
                throw new IllegalArgumentException("unknown item " + move.getKey() + ": items are 1.." + itemCount());
            }
            next[move.getKey()] = move.getValue().index();
            clusters = Math.max(clusters, move.getValue().index()); // a plan may fill a cluster added to the topology
        }
        return new ShardMap(newVersion, clusters, next);
    }

    /** The owner of every item, indexed by item (index 0 unused): a copy, for snapshots. */
    public int[] owners() {
        return Arrays.copyOf(owner, owner.length);
    }

    /** The map a snapshot recorded with {@link #version()}, {@link #clusterCount()} and {@link #owners()}. */
    public static ShardMap of(long version, int clusterCount, int[] owners) {
        for (int item = 1; item < owners.length; item++) {
            if (owners[item] < 1 || owners[item] > clusterCount) {
                throw new IllegalArgumentException("item " + item + " has owner " + owners[item] + " of c1..c"
                        + clusterCount);
            }
        }
        return new ShardMap(version, clusterCount, Arrays.copyOf(owners, owners.length));
    }

    /** How many clusters the items are split over. */
    public int clusterCount() {
        return clusterCount;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ShardMap map && map.version == version && Arrays.equals(map.owner, owner);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + Arrays.hashCode(owner);
    }

    @Override
    public String toString() {
        return "ShardMap(v" + version + ", " + itemCount() + " items)";
    }
}
