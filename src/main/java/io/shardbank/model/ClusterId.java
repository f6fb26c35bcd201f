package io.shardbank.model;

/** A replication group (one shard's Paxos cluster), named {@code c1}, {@code c2}, ...; 1-based. */
public record ClusterId(int index) implements Comparable<ClusterId> {

    public ClusterId {
        if (index < 1) {
            throw new IllegalArgumentException("cluster index must be >= 1, got " + index);
        }
    }

    @Override
    public int compareTo(ClusterId other) {
        return Integer.compare(index, other.index);
    }

    @Override
    public String toString() {
        return "c" + index;
    }
}
