package io.shardbank.reshard;

import io.shardbank.model.Invariants;
import io.shardbank.model.ShardMap;
import java.util.SplittableRandom;

/**
 * Splits the items over k clusters so that few recorded transactions span clusters (the cut) and
 * few items leave their current cluster: it minimises {@code cut + moveCost x items moved}, where
 * {@link ReshardSettings#moveCostTransactions()} prices a move in transactions of the log, so a
 * move is made only when the saving it shares in outweighs its cost. No cluster may hold more than
 * {@link #capacity} items.
 *
 * <p>The work is multilevel ({@link MultilevelPartitioner}): coarsen, partition the coarsest level
 * from several starts, refine with Fiduccia-Mattheyses at every level on the way back. One V-cycle
 * starts from the current map and can only improve on it, so a map that is already good moves
 * nothing; the plan's cut never exceeds the current map's (from a balanced map). A final sweep
 * sends home every moved item whose return costs no cut. Past {@link ReshardSettings#movesMax()}
 * moves, the move cost doubles until the plan fits. Deterministic: every random choice comes from
 * the planner seed.
 */
public final class Partitioner {

    /** Guards the balance bound against floating-point rounding just below a whole number. */
    private static final double CAPACITY_ROUNDING = 1e-9;
    /** Random balanced starts of the coarsest level, besides the current owners. */
    static final int INITIAL_RUNS = 8;
    /** How often the move cost may double to bring a plan under the moves cap. */
    static final int MOVE_COST_RAISES_MAX = 24;

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
        return owners(partitionWithCost(graph, current).parts());
    }

    /**
     * The new parts (0-based, by item) and the move cost that produced them: the configured one,
     * or a higher one when the plan had to be brought under the moves cap.
     *
     * @param raised whether the move cost was raised to respect {@link ReshardSettings#movesMax()}
     */
    public record Result(int[] parts, double moveCostTransactions, boolean raised) {
    }

    /** As {@link #partition(Hypergraph, ShardMap)}, with the move cost used. */
    public Result partitionWithCost(Hypergraph graph, ShardMap current) {
        return planned(graph, startParts(graph, current));
    }

    /** The owners (1-based clusters by item, index 0 unused) of 0-based parts by item. */
    public static int[] owners(int[] parts) {
        int[] owners = parts.clone();
        for (int item = 1; item < owners.length; item++) {
            owners[item]++;
        }
        owners[0] = 0;
        return owners;
    }

    /**
     * The new part (0-based) of every item, indexed by item (index 0 unused), from the current parts
     * {@code home} indexed the same way. At most {@link ReshardSettings#movesMax()} items move unless
     * the balance alone needs more: past the cap, the move cost doubles until the plan fits.
     */
    public int[] partitionParts(Hypergraph graph, int[] home) {
        return planned(graph, home).parts();
    }

    private Result planned(Hypergraph graph, int[] home) {
        int[] homeByVertex = new int[graph.itemCount()];
        for (int item = 1; item <= graph.itemCount(); item++) {
            if (home[item] < 0 || home[item] >= clusterCount) {
                throw new IllegalArgumentException("item " + item + " is in part " + home[item] + ", but the plan is for "
                        + clusterCount + " parts (removing clusters is not supported)");
            }
            homeByVertex[item - 1] = home[item];
        }
        LevelGraph finest = LevelGraph.ofItems(graph, home, clusterCount);
        long moveCost = Math.round(settings.moveCostTransactions() * Refiner.CUT_SCALE);
        Refiner best = plan(finest, homeByVertex, moveCost);
        for (int raise = 0; raise < MOVE_COST_RAISES_MAX && best.movedWeight() > settings.movesMax(); raise++) {
            moveCost = Math.max(1, moveCost * 2);
            best = plan(finest, homeByVertex, moveCost);
        }
        int[] parts = new int[graph.itemCount() + 1];
        int[] byVertex = best.assignment();
        for (int item = 1; item <= graph.itemCount(); item++) {
            parts[item] = byVertex[item - 1];
        }
        return new Result(parts, (double) moveCost / Refiner.CUT_SCALE,
                moveCost != Math.round(settings.moveCostTransactions() * Refiner.CUT_SCALE));
    }

    /** A plan at one move cost: the multilevel result, with moved items that can go home for free sent home. */
    private Refiner plan(LevelGraph finest, int[] homeByVertex, long moveCost) {
        int capacity = capacity(finest.vertexCount, clusterCount, settings.balanceTolerance());
        Refiner current = new Refiner(finest, capacity, moveCost, homeByVertex);
        if (finest.edgeCount() == 0 && current.overload() == 0) {
            return current;
        }
        MultilevelPartitioner multilevel = new MultilevelPartitioner(clusterCount, capacity, moveCost,
                settings.refinementPassesMax(), settings.refinementStallMovesMax(), INITIAL_RUNS);
        Refiner best = multilevel.partition(finest, homeByVertex, new SplittableRandom(settings.plannerSeed()));
        best.returnHomeWhereFree(homeByVertex);
        Invariants.check(best.overload() == 0, "a plan over single items ends within capacity");
        return best;
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

}
