package io.shardbank.client;

import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.ShardMap;
import io.shardbank.node.NodeActor;
import io.shardbank.node.NodeProtocol.GetReshardState;
import io.shardbank.node.NodeProtocol.ReshardState;
import io.shardbank.reshard.AccessLog;
import io.shardbank.reshard.MigrationSettings;
import io.shardbank.reshard.Move;
import io.shardbank.reshard.MovePlan;
import io.shardbank.reshard.ReshardPlanner;
import io.shardbank.reshard.ReshardRound;
import io.shardbank.reshard.ReshardSettings;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The reshard coordinator, a client of the clusters like any other: it runs reshard rounds, one at a time: it asks every node for its cluster's part of the shard map and
 * (from leaders) the item sets of recent committed multi-item operations, plans with the
 * {@link ReshardPlanner}, and carries the plan out as migrations ({@link ReshardRound}), each a
 * transaction over the logs of its source and target clusters, sent through the client.
 *
 * <p>Nothing a round needs survives in this actor alone: the map is read from the clusters, every
 * migration is decided and recovered in the clusters' logs, and a round that this actor's host
 * loses is finished by the clusters (each migration commits or aborts) and continued by the next
 * round, which plans from the map the clusters then hold.
 */
public final class ReshardCoordinator extends AbstractBehavior<ReshardCoordinator.Command> {

    /** Requests to the coordinator. */
    public sealed interface Command {
    }

    /** Plan from the clusters' recent history and carry the plan out; answer when every batch ended. */
    public record Reshard(ActorRef<Report> replyTo) implements Command {
    }

    private record StatesCollected(Map<Integer, ReshardState> states, int attempt) implements Command {
    }

    private record CollectAgain(int attempt) implements Command {
    }

    private record BatchEnded(ReshardRound.Batch batch, Outcome outcome) implements Command {
    }

    /**
     * What a round did: the plan, the moves made and those given up (with why), the map version it
     * made, and how long it took; or, when it could not start, the {@code error} and no plan.
     */
    public record Report(MovePlan plan, List<Move> moved, List<Move> givenUp, List<String> reasons,
            long elapsedMs, String error) {

        static Report failed(String error, long elapsedMs) {
            return new Report(null, List.of(), List.of(), List.of(), elapsedMs, error);
        }

        public boolean ok() {
            return error == null;
        }

        /** One line: what was moved out of how many planned, and the cut it was planned for. */
        public String summary() {
            if (!ok()) {
                return "resharding failed: " + error;
            }
            String given = givenUp.isEmpty() ? "" : ", " + givenUp.size() + " given up";
            return plan.transactions() + " multi-item transaction" + (plan.transactions() == 1 ? "" : "s")
                    + ": cross-cluster " + plan.cutBefore() + " -> "
                    + plan.cutAfter() + " planned, " + moved.size() + " of " + plan.moves().size()
                    + " items moved" + given + (moved.isEmpty() ? ", shard map stays v" + plan.before().version()
                    : ", shard map v" + plan.before().version() + " -> v" + plan.after().version());
        }
    }

    /** How the coordinator reaches the system. */
    public interface Gateway {
        /** Every node of the topology, by cluster. */
        Map<ClusterId, List<NodeId>> nodesByCluster();

        ActorRef<NodeActor.Command> node(NodeId node);

        /** Sends an operation as a client and completes with its final outcome. */
        CompletionStage<Outcome> submit(Operation operation);
    }

    /** Rounds of asking every node before a round gives up: an election or a migration may be under way. */
    private static final int COLLECT_ATTEMPTS_MAX = 5;
    private static final Duration COLLECT_PAUSE = Duration.ofMillis(250);

    private final Gateway gateway;
    private final ReshardPlanner planner;
    private final MigrationSettings migration;
    private final Duration askTimeout;
    private final int itemCount;
    private ActorRef<Report> replyTo;
    private ReshardRound round;
    private long startedAt;

    public static Behavior<Command> create(Gateway gateway, ReshardSettings reshard, MigrationSettings migration,
            int itemCount, Duration askTimeout) {
        return Behaviors.setup(context -> new ReshardCoordinator(context, gateway, reshard, migration, itemCount,
                askTimeout));
    }

    private ReshardCoordinator(ActorContext<Command> context, Gateway gateway, ReshardSettings reshard,
            MigrationSettings migration, int itemCount, Duration askTimeout) {
        super(context);
        this.gateway = gateway;
        this.planner = new ReshardPlanner(reshard);
        this.migration = migration;
        this.itemCount = itemCount;
        this.askTimeout = askTimeout;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Reshard.class, this::onReshard)
                .onMessage(StatesCollected.class, this::onStatesCollected)
                .onMessage(CollectAgain.class, again -> {
                    collect(again.attempt());
                    return this;
                })
                .onMessage(BatchEnded.class, this::onBatchEnded)
                .build();
    }

    private Behavior<Command> onReshard(Reshard command) {
        if (replyTo != null) {
            command.replyTo().tell(Report.failed("a reshard round is under way", 0));
            return this;
        }
        replyTo = command.replyTo();
        startedAt = System.nanoTime();
        collect(1);
        return this;
    }

    /** Asks every node at once; a node that does not answer in time counts as not leading. */
    private void collect(int attempt) {
        Map<Integer, CompletableFuture<ReshardState>> answers = new HashMap<>();
        gateway.nodesByCluster().values().forEach(nodes -> nodes.forEach(node -> answers.put(node.index(),
                AskPattern.<NodeActor.Command, ReshardState>ask(gateway.node(node), GetReshardState::new, askTimeout,
                        getContext().getSystem().scheduler()).toCompletableFuture()
                        .exceptionally(failure -> null))));
        CompletableFuture<Void> all = CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new));
        getContext().pipeToSelf(all, (ignored, failure) -> {
            Map<Integer, ReshardState> states = new HashMap<>();
            answers.forEach((node, answer) -> {
                ReshardState state = answer.join();
                if (state != null) {
                    states.put(node, state);
                }
            });
            return new StatesCollected(states, attempt);
        });
    }

    private Behavior<Command> onStatesCollected(StatesCollected collected) {
        String missing = missingOrTwice(collected.states());
        if (missing != null) {
            if (collected.attempt() >= COLLECT_ATTEMPTS_MAX) {
                finish(Report.failed(missing, elapsedMs()));
            } else {
                // An election or a migration is under way: ask again shortly.
                getContext().scheduleOnce(COLLECT_PAUSE, getContext().getSelf(),
                        new CollectAgain(collected.attempt() + 1));
            }
            return this;
        }
        ShardMap current = currentMap(collected.states());
        AccessLog history = new AccessLog(Math.max(1, planner.settings().accessLogTransactionsMax()
                * gateway.nodesByCluster().size()));
        leaders(collected.states()).forEach(state -> state.history().forEach(history::record));
        MovePlan plan = planner.plan(history, current, gateway.nodesByCluster().size());
        round = new ReshardRound(plan, migration);
        startBatches();
        return this;
    }

    /**
     * Why the states do not make one map yet (a cluster without a leader answering, an item claimed
     * by none or by two: a migration under way), or null.
     */
    private String missingOrTwice(Map<Integer, ReshardState> states) {
        Map<Integer, ReshardState> leaders = new HashMap<>();
        leaders(states).forEach(state -> leaders.put(state.cluster(), state));
        for (ClusterId cluster : gateway.nodesByCluster().keySet()) {
            if (!leaders.containsKey(cluster.index())) {
                return "no leader of " + cluster + " answered within " + askTimeout.toMillis() + " ms";
            }
        }
        int[] claims = new int[itemCount + 1];
        leaders.values().forEach(state -> state.ownedItems().forEach(item -> claims[item]++));
        for (int item = 1; item <= itemCount; item++) {
            if (claims[item] != 1) {
                return "item " + item + " is claimed by " + claims[item] + " clusters (a migration is under way)";
            }
        }
        return null;
    }

    private static List<ReshardState> leaders(Map<Integer, ReshardState> states) {
        Map<Integer, ReshardState> byCluster = new HashMap<>();
        for (ReshardState state : states.values()) {
            if (state.leading()) {
                byCluster.merge(state.cluster(), state, (a, b) -> a.appliedSlot() >= b.appliedSlot() ? a : b);
            }
        }
        return new ArrayList<>(byCluster.values());
    }

    private ShardMap currentMap(Map<Integer, ReshardState> states) {
        int[] owners = new int[itemCount + 1];
        long version = 1;
        for (ReshardState state : leaders(states)) {
            state.ownedItems().forEach(item -> owners[item] = state.cluster());
            version = Math.max(version, state.mapVersion());
        }
        return ShardMap.of(version, gateway.nodesByCluster().size(), owners);
    }

    private void startBatches() {
        for (ReshardRound.Batch batch : round.startable()) {
            getContext().pipeToSelf(gateway.submit(batch.toOperation(0)), (outcome, failure) ->
                    new BatchEnded(batch, failure == null ? outcome
                            : Outcome.unavailable(0, "the client failed: " + failure.getMessage())));
        }
        if (round.isDone()) {
            finish(new Report(round.plan(), round.moved(), round.givenUp(), round.reasons(), elapsedMs(), null));
        }
    }

    private Behavior<Command> onBatchEnded(BatchEnded ended) {
        round.onOutcome(ended.batch(), ended.outcome());
        startBatches();
        return this;
    }

    private long elapsedMs() {
        return (System.nanoTime() - startedAt) / 1_000_000;
    }

    private void finish(Report report) {
        replyTo.tell(report);
        replyTo = null;
        round = null;
    }
}
