package io.shardbank.reshard;

import io.shardbank.model.ClusterId;
import io.shardbank.model.ShardMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What resharding would change: the moves, ordered by item, that turn the current shard map into
 * the planned one, and the cross-cluster transactions of the log before and after. The planned map
 * is one version up; a plan without moves keeps the current map and its version, as nothing would
 * change at nodes or clients.
 *
 * @param before the shard map the plan starts from
 * @param after the shard map once every move is made
 * @param moves ascending by item, one per item whose owner changes
 * @param cutBefore recorded transactions that span clusters under {@code before}
 * @param cutAfter recorded transactions that span clusters under {@code after}
 * @param transactions the multi-item transactions the plan was computed from
 * @param moveCostTransactions what one move was priced at, in logged transactions (NaN: not known);
 *     the planner made only moves whose savings outweigh it
 * @param moveCostRaised whether that price was raised above the configured one to stay within
 *     {@code reshard.moves-max}
 */
public record MovePlan(ShardMap before, ShardMap after, List<Move> moves, long cutBefore, long cutAfter,
        long transactions, double moveCostTransactions, boolean moveCostRaised) {

    /** A plan whose move price is not known. */
    public MovePlan(ShardMap before, ShardMap after, List<Move> moves, long cutBefore, long cutAfter,
            long transactions) {
        this(before, after, moves, cutBefore, cutAfter, transactions, Double.NaN, false);
    }

    public MovePlan {
        moves = List.copyOf(moves);
        for (int i = 1; i < moves.size(); i++) {
            if (moves.get(i - 1).item() >= moves.get(i).item()) {
                throw new IllegalArgumentException("moves must be ascending by item, one per item");
            }
        }
    }

    /**
     * The plan that gives every item the owner {@code owners[item]} (a cluster index; index 0 unused).
     */
    public static MovePlan of(ShardMap current, int[] owners, long cutBefore, long cutAfter, long transactions) {
        return of(current, owners, cutBefore, cutAfter, transactions, Double.NaN, false);
    }

    /** As {@link #of(ShardMap, int[], long, long, long)}, with the price the planner put on a move. */
    public static MovePlan of(ShardMap current, int[] owners, long cutBefore, long cutAfter, long transactions,
            double moveCostTransactions, boolean moveCostRaised) {
        List<Move> moves = new ArrayList<>();
        Map<Integer, ClusterId> changes = new TreeMap<>();
        for (int item = 1; item <= current.itemCount(); item++) {
            ClusterId from = current.clusterOf(item);
            if (owners[item] != from.index()) {
                ClusterId to = new ClusterId(owners[item]);
                moves.add(new Move(item, from, to));
                changes.put(item, to);
            }
        }
        ShardMap after = moves.isEmpty() ? current : current.withOwners(changes);
        return new MovePlan(current, after, moves, cutBefore, cutAfter, transactions, moveCostTransactions,
                moveCostRaised);
    }

    public boolean isEmpty() {
        return moves.isEmpty();
    }

    /**
     * One line, e.g. {@code 300 multi-item transactions: cross-cluster 120 -> 4, 118 items to move,
     * shard map v1 -> v2; trade-off: 116 transactions saved for 118 moves at 0.25 each}. The
     * trade-off is said when the plan moves something and its move price is known; it says when
     * the price was raised to stay within the moves cap.
     */
    public String summary() {
        String moved = switch (moves.size()) {
            case 0 -> "no item to move";
            case 1 -> "1 item to move";
            default -> moves.size() + " items to move";
        };
        String map = isEmpty() ? "shard map stays v" + before.version()
                : "shard map v" + before.version() + " -> v" + after.version();
        return transactions + " multi-item transaction" + (transactions == 1 ? "" : "s") + ": cross-cluster "
                + cutBefore + " -> " + cutAfter + ", " + moved + ", " + map + tradeOff();
    }

    private String tradeOff() {
        if (isEmpty() || Double.isNaN(moveCostTransactions)) {
            return "";
        }
        long saved = cutBefore - cutAfter;
        return String.format(java.util.Locale.ROOT, "; trade-off: %d transaction%s saved for %d move%s at %s each%s",
                saved, saved == 1 ? "" : "s", moves.size(), moves.size() == 1 ? "" : "s",
                java.math.BigDecimal.valueOf(moveCostTransactions).stripTrailingZeros().toPlainString(),
                moveCostRaised ? " (raised to stay within reshard.moves-max)" : "");
    }
}
