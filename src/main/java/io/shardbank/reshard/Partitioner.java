package io.shardbank.reshard;

import io.shardbank.model.Invariants;
import io.shardbank.model.ShardMap;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Splits the items over k clusters so that as few recorded transactions as possible span clusters
 * (the cut), and, among equally good splits, as few items as possible leave their current cluster;
 * no cluster may hold more than {@link #capacity} items.
 *
 * <p>It refines two starts and keeps the better: the current shard map itself, so a map that is
 * already good moves nothing, and the same map with co-accessed items gathered in one cluster where
 * they fit ({@link GreedyStart}), which steps over the plateaus wide transactions put in front of
 * one-item moves. Refinement is Fiduccia-Mattheyses passes: each pass moves unmoved items one at a
 * time, always the best move the balance rule allows (see {@link MoveQueue}), even a bad one, and
 * then keeps the best balanced prefix of the moves it made. Bad moves let a pass climb out of a
 * local optimum; keeping only the best prefix means a pass never ends worse than it started, so
 * the plan's cut never exceeds the current map's (from a balanced map). A final sweep sends back
 * home every moved item whose return costs no cut, so moves that did not pay for themselves are
 * dropped.
 *
 * <p>No multilevel coarsening beyond the one level of the greedy start: the graph has one vertex
 * per item and at most one edge per recorded transaction, so with the defaults (9,000 items, up to
 * 10,000 transactions) a whole plan takes tens of milliseconds; coarsening pays off on graphs
 * orders of magnitude larger. Deterministic: ties between equal gains follow a permutation of the
 * items drawn from the seed.
 */
public final class Partitioner {

    /** Guards the balance bound against floating-point rounding just below a whole number. */
    private static final double CAPACITY_ROUNDING = 1e-9;

    private final int clusterCount;
    private final ReshardSettings settings;

    /**
     * @throws IllegalArgumentException if {@code clusterCount < 1}
     */
    public Partitioner(int clusterCount, ReshardSettings settings) {
        if (clusterCount < 1) {
            throw new IllegalArgumentException(
                    "cannot split items over " + clusterCount + " clusters: need at least 1");
        }
        this.clusterCount = clusterCount;
        this.settings = settings;
    }

    /**
     * The most items one cluster may hold: its even share times (1 + tolerance), rounded down, but
     * never below the even share rounded up, which some cluster must hold anyway.
     */
    public static int capacity(int itemCount, int clusterCount, double tolerance) {
        int evenShareRoundedUp = (itemCount + clusterCount - 1) / clusterCount;
        int tolerated = (int) Math.floor((1 + tolerance) * itemCount / clusterCount + CAPACITY_ROUNDING);
        return Math.max(evenShareRoundedUp, tolerated);
    }

    /**
     * The new owner of every item, as cluster indices (1-based) indexed by item; index 0 is unused.
     *
     * @throws IllegalArgumentException if the graph and map disagree on the items, or the map uses a
     *     cluster above the cluster count (removing clusters is not supported)
     */
    public int[] partition(Hypergraph graph, ShardMap current) {
        int capacity = capacity(graph.itemCount(), clusterCount, settings.balanceTolerance());
        int[] home = startParts(graph, current);
        PartitionState best = refined(graph, capacity, home, home);
        int[] gathered = GreedyStart.gather(graph, home, clusterCount, capacity);
        if (!Arrays.equals(gathered, home)) {
            PartitionState fromGathered = refined(graph, capacity, home, gathered);
            best = Objective.of(fromGathered).isBetterThan(Objective.of(best)) ? fromGathered : best;
        }
        int[] owners = best.assignment();
        for (int item = 1; item < owners.length; item++) {
            owners[item]++;
        }
        owners[0] = 0;
        return owners;
    }

    /** Refinement from {@code start}, counting moves against {@code home}. */
    private PartitionState refined(Hypergraph graph, int capacity, int[] home, int[] start) {
        PartitionState state = new PartitionState(graph, clusterCount, capacity, home, start);
        if (graph.edgeCount() > 0 || !state.isBalanced()) {
            refine(state);
            returnHomeWhereFree(state);
        }
        return state;
    }

    private int[] startParts(Hypergraph graph, ShardMap current) {
        if (current.itemCount() != graph.itemCount()) {
            throw new IllegalArgumentException("the shard map has " + current.itemCount()
                    + " items but the hypergraph " + graph.itemCount());
        }
        int[] parts = new int[graph.itemCount() + 1];
        for (int item = 1; item <= graph.itemCount(); item++) {
            int cluster = current.clusterOf(item).index();
            if (cluster > clusterCount) {
                throw new IllegalArgumentException("item " + item + " is in c" + cluster + ", but the plan is for "
                        + clusterCount + " clusters (removing clusters is not supported)");
            }
            parts[item] = cluster - 1;
        }
        return parts;
    }

    /** Passes until one finds nothing better or the pass limit; a start over capacity gets at least one. */
    private void refine(PartitionState state) {
        int[] rank = seededRanks(state.graph().itemCount());
        boolean mustBalance = !state.isBalanced();
        for (int pass = 0; pass < settings.refinementPassesMax() || mustBalance; pass++) {
            boolean improved = refinementPass(state, rank);
            Invariants.check(state.isBalanced(), "a refinement pass ends balanced");
            mustBalance = false;
            if (!improved) {
                break;
            }
        }
    }

    /** A random permutation of the items, from the seed: {@code rank[item]} orders ties. */
    private int[] seededRanks(int itemCount) {
        int[] order = new int[itemCount];
        for (int i = 0; i < itemCount; i++) {
            order[i] = i + 1;
        }
        SplittableRandom random = new SplittableRandom(settings.plannerSeed());
        for (int i = itemCount - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] rank = new int[itemCount + 1];
        for (int i = 0; i < itemCount; i++) {
            rank[order[i]] = i;
        }
        return rank;
    }

    /**
     * One Fiduccia-Mattheyses pass: moves items until no move is allowed or the stall limit passes
     * without a better balanced state, then rolls back to the best balanced prefix. Returns whether
     * that prefix is better than where the pass started.
     */
    private boolean refinementPass(PartitionState state, int[] rank) {
        MoveQueue queue = new MoveQueue(state, rank);
        Trail trail = new Trail(state.graph().itemCount());
        int[] refreshedAtMove = new int[state.graph().itemCount() + 1];
        boolean startBalanced = state.isBalanced();
        Objective best = startBalanced ? Objective.of(state) : null;
        int bestLength = 0;
        int movesSinceBest = 0;
        while (movesSinceBest < settings.refinementStallMovesMax()) {
            MoveQueue.Candidate next = queue.best();
            if (next == null) {
                break;
            }
            trail.add(next.item(), state.partOf(next.item()));
            queue.lock(next.item());
            state.move(next.item(), next.target());
            refreshNeighbours(state, queue, next.item(), refreshedAtMove, trail.length());
            if (state.isBalanced() && (best == null || Objective.of(state).isBetterThan(best))) {
                best = Objective.of(state);
                bestLength = trail.length();
                movesSinceBest = 0;
            } else if (best != null) {
                movesSinceBest++;
            }
        }
        Invariants.check(best != null, "a pass from an unbalanced start reaches a balanced state");
        trail.rollBack(state, bestLength);
        return bestLength > 0;
    }

    /** Recomputes the gains of every unmoved item sharing an edge with {@code moved}, once each per move. */
    private static void refreshNeighbours(PartitionState state, MoveQueue queue, int moved, int[] refreshedAtMove,
            int move) {
        Hypergraph graph = state.graph();
        for (int i = 0; i < graph.degree(moved); i++) {
            int edge = graph.edgeOf(moved, i);
            for (int p = 0; p < graph.pinCount(edge); p++) {
                int neighbour = graph.pin(edge, p);
                if (!queue.isLocked(neighbour) && refreshedAtMove[neighbour] != move) {
                    refreshedAtMove[neighbour] = move;
                    queue.refresh(neighbour);
                }
            }
        }
    }

    /**
     * Sends back to its current cluster every moved item whose return keeps the cut and the balance,
     * until none is left: refinement may have moved items that did not pay for themselves.
     */
    private static void returnHomeWhereFree(PartitionState state) {
        boolean returned = true;
        while (returned) {
            returned = false;
            for (int item = 1; item <= state.graph().itemCount(); item++) {
                if (returnsForFree(state, item)) {
                    state.move(item, state.home(item));
                    returned = true;
                }
            }
        }
    }

    private static boolean returnsForFree(PartitionState state, int item) {
        int home = state.home(item);
        return state.partOf(item) != home && state.load(home) < state.capacity()
                && state.gains(item)[home].cut() >= 0;
    }

    /** What the planner minimises, in this order: the cut, then the items away from home. */
    private record Objective(long cut, int awayFromHome) {
        static Objective of(PartitionState state) {
            return new Objective(state.cut(), state.awayFromHome());
        }

        boolean isBetterThan(Objective other) {
            return cut < other.cut || (cut == other.cut && awayFromHome < other.awayFromHome);
        }
    }

    /** The moves of one pass in order, to roll back to the best prefix. Each item moves at most once a pass. */
    private static final class Trail {
        private final int[] items;
        private final int[] fromParts;
        private int length;

        Trail(int itemCount) {
            this.items = new int[itemCount];
            this.fromParts = new int[itemCount];
        }

        void add(int item, int from) {
            items[length] = item;
            fromParts[length] = from;
            length++;
        }

        int length() {
            return length;
        }

        void rollBack(PartitionState state, int keep) {
            while (length > keep) {
                length--;
                state.move(items[length], fromParts[length]);
            }
        }
    }
}
