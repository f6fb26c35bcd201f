package io.shardbank.paxos;

/**
 * A Paxos ballot: a round number and the index of the node that owns it. Ballots are totally
 * ordered by round, then node; two nodes never share one.
 */
public record Ballot(long round, int node) implements Comparable<Ballot> {

    /** Lower than every ballot a node can use. */
    public static final Ballot ZERO = new Ballot(0, 0);

    @Override
    public int compareTo(Ballot other) {
        int byRound = Long.compare(round, other.round);
        return byRound != 0 ? byRound : Integer.compare(node, other.node);
    }

    public boolean isAbove(Ballot other) {
        return compareTo(other) > 0;
    }

    public boolean isBelow(Ballot other) {
        return compareTo(other) < 0;
    }

    @Override
    public String toString() {
        return "(" + round + ", n" + node + ")";
    }
}
