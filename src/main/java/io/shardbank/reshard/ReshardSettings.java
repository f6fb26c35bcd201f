package io.shardbank.reshard;

/**
 * Limits of resharding's planning half, read from {@code shardbank.reshard} in the configuration.
 *
 * @param accessLogTransactionsMax the planner sees the item sets of this many most recent
 *     multi-item transactions; older ones fall out, so the plan follows the current workload and the
 *     log's memory stays bounded
 * @param balanceTolerance a cluster may hold at most {@code (1 + balanceTolerance)} times its even
 *     share of the items; 0.05 leaves each default cluster 150 items of room, enough to pull
 *     co-accessed items together one at a time instead of by swaps (two migrations per fix), while
 *     no cluster stores or serves more than 5% above its share
 * @param refinementPassesMax Fiduccia-Mattheyses passes per level at most; a pass that finds no
 *     better balanced state ends the refinement of that level earlier
 * @param refinementStallMovesMax a pass stops after this many moves without reaching a better
 *     balanced state: the moves that climb out of a local optimum are short, and the rest of a full
 *     pass would only move items to be rolled back
 * @param plannerSeed orders the coarsening, the initial partitions and ties between equally good
 *     moves; the same seed and log give the same plan
 * @param moveCostTransactions what moving one item costs, in cross-cluster transactions of the
 *     logged history: a move is made only when, with the others, it saves more than this
 * @param movesMax the most items one plan moves; past it, moves are priced higher until the plan fits
 */
public record ReshardSettings(int accessLogTransactionsMax, double balanceTolerance, int refinementPassesMax,
        int refinementStallMovesMax, long plannerSeed, double moveCostTransactions, int movesMax) {

    public ReshardSettings {
        if (accessLogTransactionsMax < 1) {
            throw new IllegalArgumentException(
                    "reshard.access-log-transactions-max must be >= 1, got " + accessLogTransactionsMax);
        }
        if (!(balanceTolerance >= 0) || Double.isInfinite(balanceTolerance)) {
            throw new IllegalArgumentException("reshard.balance-tolerance must be a number >= 0, got "
                    + balanceTolerance);
        }
        if (refinementPassesMax < 0 || refinementStallMovesMax < 1) {
            throw new IllegalArgumentException("reshard.refinement-passes-max must be >= 0 and "
                    + "reshard.refinement-stall-moves-max >= 1");
        }
        if (!(moveCostTransactions >= 0) || moveCostTransactions > MOVE_COST_MAX) {
            throw new IllegalArgumentException("reshard.move-cost-transactions must be a number in 0.." + MOVE_COST_MAX
                    + ", got " + moveCostTransactions);
        }
        if (movesMax < 0) {
            throw new IllegalArgumentException("reshard.moves-max must be >= 0, got " + movesMax);
        }
    }

    /** Above this, a move would outweigh any saving a log can show; it also keeps the objective in a long. */
    public static final double MOVE_COST_MAX = 1_000_000;

    public static ReshardSettings defaults() {
        return new ReshardSettings(50_000, 0.05, 8, 300, 1, 0.25, 100_000);
    }

    /** Another tolerance (tests compare plans under several). */
    public ReshardSettings withBalanceTolerance(double tolerance) {
        return new ReshardSettings(accessLogTransactionsMax, tolerance, refinementPassesMax, refinementStallMovesMax,
                plannerSeed, moveCostTransactions, movesMax);
    }

    /** Another seed (tests check that plans do not depend on it). */
    public ReshardSettings withPlannerSeed(long seed) {
        return new ReshardSettings(accessLogTransactionsMax, balanceTolerance, refinementPassesMax,
                refinementStallMovesMax, seed, moveCostTransactions, movesMax);
    }

    public ReshardSettings withMoveCost(double transactions) {
        return new ReshardSettings(accessLogTransactionsMax, balanceTolerance, refinementPassesMax,
                refinementStallMovesMax, plannerSeed, transactions, movesMax);
    }

    public ReshardSettings withMovesMax(int moves) {
        return new ReshardSettings(accessLogTransactionsMax, balanceTolerance, refinementPassesMax,
                refinementStallMovesMax, plannerSeed, moveCostTransactions, moves);
    }
}
