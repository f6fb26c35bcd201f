package io.shardbank.bench;

import java.util.SplittableRandom;

/**
 * Hidden groups of units (items, or SmallBank customers) that a workload uses together: the units
 * 0..n-1 are shuffled with a seed and cut into {@code groupCount} groups whose sizes differ by one
 * at most (equal when {@code groupCount} divides n). So a group is scattered over the id range, and
 * with the initial range map most of its pairs span clusters: the load a resharding can improve.
 */
final class AffinityGroups {

    /** Each group needs two units at least, so that a multi-item step can stay inside it. */
    static final int GROUP_SIZE_MIN = 2;

    private final int[] shuffled;
    private final int groupCount;

    AffinityGroups(int unitCount, int groupCount, long seed) {
        if (groupCount < 1) {
            throw new IllegalArgumentException("affinity groups must be >= 1, got " + groupCount);
        }
        if (unitCount / groupCount < GROUP_SIZE_MIN) {
            throw new IllegalArgumentException(groupCount + " affinity groups over " + unitCount
                    + " units leave fewer than " + GROUP_SIZE_MIN + " in a group");
        }
        this.groupCount = groupCount;
        this.shuffled = new int[unitCount];
        for (int unit = 0; unit < unitCount; unit++) {
            shuffled[unit] = unit;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = unitCount - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = swap;
        }
    }

    int groupCount() {
        return groupCount;
    }

    /** How many units group {@code group} holds. */
    int size(int group) {
        return start(group + 1) - start(group);
    }

    /** The {@code index}-th unit of group {@code group}. */
    int member(int group, int index) {
        if (index < 0 || index >= size(group)) {
            throw new IndexOutOfBoundsException("group " + group + " has no member " + index);
        }
        return shuffled[start(group) + index];
    }

    /** Two different units of one random group. */
    int[] pairInGroup(SplittableRandom random) {
        int group = random.nextInt(groupCount);
        int size = size(group);
        int first = random.nextInt(size);
        int second = (first + 1 + random.nextInt(size - 1)) % size;
        return new int[] {member(group, first), member(group, second)};
    }

    /** Two different units anywhere. */
    int[] pairAnywhere(SplittableRandom random) {
        int first = random.nextInt(shuffled.length);
        int second = (first + 1 + random.nextInt(shuffled.length - 1)) % shuffled.length;
        return new int[] {first, second};
    }

    /** Where group {@code group} starts in the shuffled order: the first n % groupCount groups get one more. */
    private int start(int group) {
        int base = shuffled.length / groupCount;
        int larger = shuffled.length % groupCount;
        return group * base + Math.min(group, larger);
    }
}
