package io.shardbank.bench;

import io.shardbank.model.ClusterId;
import io.shardbank.model.ShardMap;
import io.shardbank.reshard.Move;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Measures what a resharding in the middle of a run did for the workload: the share of committed
 * multi-item writes that span clusters before it was triggered (under the map the run started
 * with) and after it ended (under the map it made), and how many steps ended unavailable while it
 * ran. Steps that end during the migration count in neither share. Thread-safe: steps settle on
 * client threads.
 */
public final class CrossShare {

    private enum Phase { BEFORE, DURING, AFTER }

    private ShardMap map;
    private Phase phase = Phase.BEFORE;
    private final long[] multiItem = new long[Phase.values().length];
    private final long[] crossing = new long[Phase.values().length];
    private long unavailableDuring;

    public CrossShare(ShardMap initial) {
        this.map = initial;
    }

    /** A step ended; only committed writes over two or more items count. */
    public synchronized void settled(Step step, Outcome outcome) {
        if (phase == Phase.DURING && outcome.status() == Outcome.Status.UNAVAILABLE) {
            unavailableDuring++;
        }
        if (step.read() || outcome.status() != Outcome.Status.COMMITTED) {
            return;
        }
        TreeSet<Integer> items = new TreeSet<>();
        step.operations().forEach(operation -> items.addAll(Operation.itemsOf(operation)));
        if (items.size() < 2) {
            return;
        }
        TreeSet<Integer> clusters = new TreeSet<>();
        items.forEach(item -> clusters.add(map.clusterOf(item).index()));
        multiItem[phase.ordinal()]++;
        if (clusters.size() > 1) {
            crossing[phase.ordinal()]++;
        }
    }

    /** The resharding starts now. */
    public synchronized void migrationStarted() {
        phase = Phase.DURING;
    }

    /** The resharding ended with these moves made: steps from now on are judged by the new map. */
    public synchronized void migrationEnded(List<Move> moved, long version) {
        Map<Integer, ClusterId> moves = new TreeMap<>();
        moved.forEach(move -> moves.put(move.item(), move.to()));
        map = moved.isEmpty() ? map : map.withOwners(moves, version);
        phase = Phase.AFTER;
    }

    public synchronized double before() {
        return share(Phase.BEFORE);
    }

    public synchronized double after() {
        return share(Phase.AFTER);
    }

    public synchronized long unavailableDuring() {
        return unavailableDuring;
    }

    private double share(Phase which) {
        long all = multiItem[which.ordinal()];
        return all == 0 ? 0 : (double) crossing[which.ordinal()] / all;
    }
}
