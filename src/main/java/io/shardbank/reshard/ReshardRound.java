package io.shardbank.reshard;

import io.shardbank.model.ClusterId;
import io.shardbank.model.Invariants;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carrying out one plan, as a pure state machine: the plan's moves go in batches (same source and
 * target, at most {@link MigrationSettings#batchItemsMax()} items), each batch one migration
 * operation sent to its source cluster; a batch that aborts (an item was locked by a transaction)
 * or was not decided in time is tried again up to {@link MigrationSettings#attemptsMax()} times;
 * one that meets an item no longer at its source is given up. Every batch of the round names the
 * map version the plan makes. The host sends what {@link #startable} hands out and reports each
 * outcome to {@link #onOutcome}; the round is done when every batch moved or was given up.
 *
 * <p>The round keeps no state that matters after it: each migration is a transaction in the logs of
 * its two clusters, so a host that dies leaves no batch half done, and a successor plans again from
 * the map the clusters hold.
 */
public final class ReshardRound {

    /** One migration of the round. */
    public record Batch(int index, List<Integer> items, ClusterId from, ClusterId to, long mapVersion) {

        /** The operation that carries the batch out, under the client's sequence number. */
        public Operation.Migrate toOperation(long sequence) {
            return new Operation.Migrate(sequence, items, from.index(), to.index(), mapVersion);
        }
    }

    /** How a batch ended. */
    public enum Result { MOVED, GIVEN_UP }

    private final MovePlan plan;
    private final MigrationSettings settings;
    private final Deque<Batch> waiting = new ArrayDeque<>();
    private final Map<Integer, Integer> attempts = new HashMap<>();
    private final Map<Integer, Batch> underWay = new HashMap<>();
    private final Map<Batch, Result> ended = new LinkedHashMap<>();
    private final Map<Integer, String> whyGivenUp = new HashMap<>();

    public ReshardRound(MovePlan plan, MigrationSettings settings) {
        this.plan = plan;
        this.settings = settings;
        Map<List<ClusterId>, List<Integer>> byRoute = new LinkedHashMap<>();
        for (Move move : plan.moves()) {
            byRoute.computeIfAbsent(List.of(move.from(), move.to()), r -> new ArrayList<>()).add(move.item());
        }
        long version = plan.after().version();
        int index = 0;
        for (Map.Entry<List<ClusterId>, List<Integer>> route : byRoute.entrySet()) {
            List<Integer> items = route.getValue();
            for (int start = 0; start < items.size(); start += settings.batchItemsMax()) {
                List<Integer> batch = items.subList(start, Math.min(items.size(), start + settings.batchItemsMax()));
                waiting.add(new Batch(index++, List.copyOf(batch), route.getKey().get(0), route.getKey().get(1),
                        version));
            }
        }
    }

    public MovePlan plan() {
        return plan;
    }

    /** Batches to send now, within the in-flight bound; each is under way until its outcome comes. */
    public List<Batch> startable() {
        List<Batch> start = new ArrayList<>();
        while (!waiting.isEmpty() && underWay.size() < settings.batchesInFlightMax()) {
            Batch batch = waiting.poll();
            underWay.put(batch.index(), batch);
            attempts.merge(batch.index(), 1, Integer::sum);
            start.add(batch);
        }
        return start;
    }

    /** A batch's migration ended with {@code outcome}. */
    public void onOutcome(Batch batch, Outcome outcome) {
        Invariants.check(underWay.remove(batch.index()) != null, "batch %d was not under way", batch.index());
        boolean retryable = outcome.status() == Outcome.Status.ABORTED
                || outcome.status() == Outcome.Status.UNAVAILABLE;
        if (outcome.status() == Outcome.Status.COMMITTED) {
            ended.put(batch, Result.MOVED);
        } else if (retryable && attempts.get(batch.index()) < settings.attemptsMax()) {
            waiting.add(batch);
        } else {
            ended.put(batch, Result.GIVEN_UP);
            whyGivenUp.put(batch.index(), outcome.toString());
        }
    }

    public boolean isDone() {
        return waiting.isEmpty() && underWay.isEmpty();
    }

    /** The moves made, ascending by item. */
    public List<Move> moved() {
        return movesOf(Result.MOVED);
    }

    /** The moves given up, ascending by item. */
    public List<Move> givenUp() {
        return movesOf(Result.GIVEN_UP);
    }

    /** Why batches were given up, one line each. */
    public List<String> reasons() {
        List<String> lines = new ArrayList<>();
        ended.forEach((batch, result) -> {
            if (result == Result.GIVEN_UP) {
                lines.add(batch.items().size() + " items " + batch.from() + " -> " + batch.to() + ": "
                        + whyGivenUp.get(batch.index()));
            }
        });
        return lines;
    }

    private List<Move> movesOf(Result result) {
        List<Move> moves = new ArrayList<>();
        ended.forEach((batch, how) -> {
            if (how == result) {
                batch.items().forEach(item -> moves.add(new Move(item, batch.from(), batch.to())));
            }
        });
        moves.sort(Comparator.comparingInt(Move::item));
        return moves;
    }
}
