package io.shardbank.model;

import java.util.Arrays;
import java.util.Map;

/**
 * Which cluster owns which item, with a version that grows with every change. Immutable: a
 * change (a reshard move) makes a new map.
 */
public final class ShardMap {

    private final long version;
    /** owner[item] = cluster index; owner[0] unused. */
    private final int[] owner;

    private ShardMap(long version, int[] owner) {
        this.version = version;
        this.owner = owner;
    }

    /** Items 1..itemCount split into clusterCount contiguous ranges of equal size (last takes the rest). */
    public static ShardMap evenRanges(int clusterCount, int itemCount) {
        int[] owner = new int[itemCount + 1];
        int per = itemCount / clusterCount;
        for (int item = 1; item <= itemCount; item++) {
            owner[item] = Math.min(clusterCount, (item - 1) / per + 1);
        }
        return new ShardMap(1, owner);
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

    /** A new map, one version up, with the given item moved to another cluster. */
    public ShardMap withOwner(int item, ClusterId cluster) {
        if (!hasItem(item)) {
            throw new IllegalArgumentException("unknown item " + item);
        }
        int[] next = Arrays.copyOf(owner, owner.length);
        next[item] = cluster.index();
        return new ShardMap(version + 1, next);
    }

    /**
     * A new map, one version up, with every item of {@code moves} moved to its cluster at once: a
     * reshard plan changes the map as one step, so nodes and clients see one version per plan rather
     * than one per item.
     */
    public ShardMap withOwners(Map<Integer, ClusterId> moves) {
        int[] next = Arrays.copyOf(owner, owner.length);
        moves.forEach((item, cluster) -> {
            if (!hasItem(item)) {
                throw new IllegalArgumentException("unknown item " + item + ": items are 1.." + itemCount());
            }
            next[item] = cluster.index();
        });
        return new ShardMap(version + 1, next);
    }

    @Override
    public String toString() {
        return "ShardMap(v" + version + ", " + itemCount() + " items)";
    }
}
