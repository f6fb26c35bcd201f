package io.shardbank.reshard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The item sets of the most recent transactions, which is all the planner needs to know about the
 * workload: which items are used together, and how often. Bounded: it keeps the last {@code
 * transactionsMax} sets and lets older ones fall out, so memory stays fixed and the plan follows the
 * current workload rather than its whole history.
 *
 * <p>A transaction that touches a single item is not kept: it can never span clusters, so it would
 * only push useful entries out. Not thread-safe; hand a {@link #copy()} to another thread.
 */
public final class AccessLog {

    private final int[][] itemSets;
    private int oldest;
    private int size;
    private long recordedTotal;

    public AccessLog(int transactionsMax) {
        if (transactionsMax < 1) {
            throw new IllegalArgumentException("an access log must keep at least 1 transaction, got "
                    + transactionsMax);
        }
        this.itemSets = new int[transactionsMax][];
    }

    /**
     * Records the items one transaction touched together; returns whether it was kept (false for
     * fewer than two distinct items).
     *
     * @throws IllegalArgumentException for an item id below 1
     */
    public boolean record(Collection<Integer> items) {
        int[] distinct = items.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        if (distinct.length > 0 && distinct[0] < 1) {
            throw new IllegalArgumentException("item ids start at 1, got " + distinct[0]);
        }
        if (distinct.length < 2) {
            return false;
        }
        itemSets[(oldest + size) % itemSets.length] = distinct;
        if (size < itemSets.length) {
            size++;
        } else {
            oldest = (oldest + 1) % itemSets.length;
        }
        recordedTotal++;
        return true;
    }

    /** Forgets every transaction (after a flush, the workload starts over). */
    public void clear() {
        Arrays.fill(itemSets, null);
        oldest = 0;
        size = 0;
        recordedTotal = 0;
    }

    /** The transactions kept now, at most {@link #transactionsMax()}. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int transactionsMax() {
        return itemSets.length;
    }

    /**
     * Multi-item transactions recorded since the start or the last clear, including those that fell
     * out. A seam for tests: nothing in production needs the count yet.
     */
    long recordedTotal() {
        return recordedTotal;
    }

    /** The kept item sets, oldest first, each sorted ascending without repeats. */
    public List<List<Integer>> itemSets() {
        List<List<Integer>> sets = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            sets.add(Arrays.stream(itemSets[(oldest + i) % itemSets.length]).boxed().toList());
        }
        return sets;
    }

    /** An independent copy with the same contents and bound. */
    public AccessLog copy() {
        AccessLog copy = new AccessLog(itemSets.length);
        System.arraycopy(itemSets, 0, copy.itemSets, 0, itemSets.length);
        copy.oldest = oldest;
        copy.size = size;
        copy.recordedTotal = recordedTotal;
        return copy;
    }
}
