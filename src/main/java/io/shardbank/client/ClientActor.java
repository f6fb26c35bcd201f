package io.shardbank.client;

import io.shardbank.config.Settings;
import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.ShardMap;
import io.shardbank.node.NodeActor;
import io.shardbank.node.NodeProtocol.ClientReply;
import io.shardbank.node.NodeProtocol.ClientRequest;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import io.shardbank.shard.ReadConsistency;
import io.shardbank.shard.Redirect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A client session: it numbers operations, routes each to the believed leader of the cluster that
 * owns its (first) item in its copy of the shard map, follows leader hints, moves on to the next
 * node of the cluster when one does not answer in time, and ends every operation within the
 * configured deadline: committed, aborted or rejected with a reason, or unavailable. Retries reuse
 * the request id, so an operation runs at most once however often it is sent. An answer MOVED
 * (resharding moved an item, or is moving it) ends its request id without effect: the client
 * corrects its map and sends the operation again under a new id, so a migration costs latency,
 * not an answer. Operations bound for the same node in the same burst travel in one request.
 */
public final class ClientActor extends AbstractBehavior<ClientActor.Command> {

    /** Requests to the client actor (local only). */
    public sealed interface Command {
    }

    /**
     * Caller to client actor: run one operation (its sequence number is assigned here) and answer
     * {@code replyTo} with its outcome, within the deadline; at once, as unavailable, when
     * {@code client.in-flight-operations-max} operations are under way already.
     */
    public record Submit(Operation operation, ActorRef<Outcome> replyTo) implements Command {
    }

    /**
     * The Java client API's form of {@link Submit}: the outcome completes {@code result}. An ask per
     * operation would create a temporary actor and a timer for each; at tens of thousands of
     * operations a second that cost most of the client's throughput.
     */
    record SubmitForFuture(Operation operation, CompletableFuture<Outcome> result) implements Command {
    }

    /** A node to this client (through the reply adapter): outcomes of operations it was sent. */
    private record Replied(ClientReply reply) implements Command {
    }

    /** Periodic: retry or give up the operations whose retry time has come. */
    private enum Sweep implements Command { INSTANCE }

    private enum SendOutbox implements Command { INSTANCE }

    /** An operation under way. */
    private static final class InFlight {
        final Operation operation;
        final ClusterId cluster;
        final Consumer<Outcome> replyTo;
        final long deadline;
        int node;
        long retryAt;
        long sentAt;
        /** How long to wait for the node's answer: doubles after each silence, up to the maximum. */
        long timeoutMs;
        /** Nodes that said they cannot reach a majority, or did not answer in time, and why. */
        final Map<Integer, String> refusedBy = new java.util.TreeMap<>();
        /** Sent again only when the sweep reaches {@link #retryAt}, to the same node: an item is on the move. */
        boolean held;

        InFlight(Operation operation, ClusterId cluster, Consumer<Outcome> replyTo, long deadline) {
            this.operation = operation;
            this.cluster = cluster;
            this.replyTo = replyTo;
            this.deadline = deadline;
        }
    }

    private final long clientId;
    private final Settings settings;
    private final ShardMap initialMap;
    /** The owner of every item as far as this client knows (index 0 unused), corrected by MOVED answers. */
    private final int[] owners;
    private final Function<NodeId, String> nodePaths;
    private final ActorRef<ClientReply> replyAdapter;
    private final Map<Integer, ActorRef<NodeActor.Command>> nodes = new HashMap<>();
    private final Map<ClusterId, Integer> leaderOf = new HashMap<>();
    private final Map<Long, InFlight> inFlight = new HashMap<>();
    private final Map<Integer, List<Operation>> outbox = new HashMap<>();
    private boolean outboxScheduled;
    private long nextSequence = 1;

    public static Behavior<Command> create(long clientId, Settings settings, Function<NodeId, String> nodePaths) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
                new ClientActor(context, timers, clientId, settings, nodePaths)));
    }

    private ClientActor(ActorContext<Command> context, TimerScheduler<Command> timers, long clientId,
            Settings settings, Function<NodeId, String> nodePaths) {
        super(context);
        this.clientId = clientId;
        this.settings = settings;
        this.initialMap = settings.topology().initialShardMap();
        this.owners = initialMap.owners();
        this.nodePaths = nodePaths;
        this.replyAdapter = context.messageAdapter(ClientReply.class, Replied::new);
        // One periodic sweep instead of a timer per operation: timers cost a map update each.
        timers.startTimerAtFixedRate(Sweep.INSTANCE, Duration.ofMillis(settings.client().sweepIntervalMs()));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Submit.class, this::onSubmit)
                .onMessage(SubmitForFuture.class, this::onSubmitForFuture)
                .onMessage(Replied.class, this::onReplied)
                .onMessageEquals(Sweep.INSTANCE, this::onSweep)
                .onMessageEquals(SendOutbox.INSTANCE, this::onSendOutbox)
                .build();
    }

    private long now() {
        return System.nanoTime() / 1_000_000;
    }

    private Behavior<Command> onSubmit(Submit submit) {
        return submit(submit.operation(), submit.replyTo()::tell);
    }

    private Behavior<Command> onSubmitForFuture(SubmitForFuture submit) {
        return submit(submit.operation(), submit.result()::complete);
    }

    private Behavior<Command> submit(Operation submitted, Consumer<Outcome> answer) {
        long sequence = nextSequence++;
        Operation operation = Operation.renumbered(submitted, sequence);
        if (operation instanceof Operation.Transaction txn && (txn.deltas() == null || txn.deltas().isEmpty())) {
            answer.accept(Outcome.rejected(sequence, "a transaction needs at least one (item, delta)"));
            return this;
        }
        int routingItem = Operation.routingItem(operation);
        if (!initialMap.hasItem(routingItem)) {
            answer.accept(Outcome.rejected(sequence,
                    "unknown item " + routingItem + " (items are 1.." + initialMap.itemCount() + ")"));
            return this;
        }
        if (inFlight.size() >= settings.client().inFlightOperationsMax()) {
            answer.accept(Outcome.unavailable(sequence, "overloaded: " + inFlight.size()
                    + " operations under way at this client (client.in-flight-operations-max)"));
            return this;
        }
        InFlight flight = start(operation, answer, now() + settings.client().deadlineMs());
        dispatch(sequence, flight);
        return this;
    }

    /** A new in-flight operation, routed by the client's map; not yet sent. */
    private InFlight start(Operation operation, Consumer<Outcome> replyTo, long deadline) {
        ClusterId cluster = new ClusterId(owners[Operation.routingItem(operation)]);
        InFlight flight = new InFlight(operation, cluster, replyTo, deadline);
        flight.timeoutMs = settings.client().requestTimeoutMs();
        flight.node = leaderOf.computeIfAbsent(cluster, c -> settings.topology().initialLeader(c).index());
        if (operation instanceof Operation.LocalRead read && read.consistency() == ReadConsistency.ANY) {
            List<NodeId> members = settings.topology().nodesOf(cluster);
            flight.node = members.get((int) (operation.sequence() % members.size())).index(); // spread stale reads
        }
        inFlight.put(operation.sequence(), flight);
        return flight;
    }

    /** Queues the operation for its node; the queue goes out once this burst of messages is handled. */
    private void dispatch(long sequence, InFlight flight) {
        outbox.computeIfAbsent(flight.node, n -> new ArrayList<>()).add(flight.operation);
        if (!outboxScheduled) {
            outboxScheduled = true;
            getContext().getSelf().tell(SendOutbox.INSTANCE);
        }
        flight.sentAt = now();
        flight.retryAt = flight.sentAt + flight.timeoutMs;
    }

    private Behavior<Command> onSendOutbox() {
        outbox.forEach((node, operations) -> {
            if (!operations.isEmpty()) {
                node(node).tell(new ClientRequest(clientId, List.copyOf(operations), replyAdapter));
            }
        });
        outbox.clear();
        outboxScheduled = false;
        return this;
    }

    private Behavior<Command> onReplied(Replied replied) {
        ClientReply reply = replied.reply();
        for (Outcome outcome : reply.outcomes()) {
            InFlight flight = inFlight.get(outcome.sequence());
            if (flight == null) {
                continue; // answered already (a duplicate reply after a retry)
            }
            if (outcome.status().isFinal()) {
                rememberLeader(flight.cluster, reply.leaderHint());
                finish(outcome.sequence(), flight, outcome);
            } else if (outcome.status() == Outcome.Status.MOVED) {
                rememberLeader(flight.cluster, reply.leaderHint());
                sendElsewhere(outcome.sequence(), flight, outcome);
            } else if (outcome.status() == Outcome.Status.NO_MAJORITY) {
                refused(outcome.sequence(), flight, reply.node(), outcome.reason());
            } else {
                redirect(outcome.sequence(), flight, reply.leaderHint());
            }
        }
        return this;
    }

    /**
     * MOVED: the request id is over and never applies anywhere. Correct the map from the answer and
     * send the operation again under a new id, at once to a new owner, after a pause when the item
     * is still on its way (the answering cluster names itself); within the operation's deadline.
     */
    private void sendElsewhere(long sequence, InFlight flight, Outcome outcome) {
        inFlight.remove(sequence);
        Redirect redirect = outcome.redirect();
        if (redirect != null && redirect.owner() >= 1 && redirect.owner() <= initialMap.clusterCount()) {
            owners[redirect.item()] = redirect.owner();
        }
        if (now() >= flight.deadline) {
            flight.replyTo.accept(Outcome.unavailable(sequence, "still moving at the deadline: "
                    + outcome.reason()));
            return;
        }
        long next = nextSequence++;
        InFlight again = start(Operation.renumbered(flight.operation, next), flight.replyTo, flight.deadline);
        boolean onItsWay = redirect == null || redirect.owner() == flight.cluster.index();
        if (onItsWay) {
            again.held = true;
            again.sentAt = now();
            again.retryAt = again.sentAt + settings.client().retryBackoffMs();
        } else {
            dispatch(next, again);
        }
    }

    /**
     * Routes the cluster's next operations to the leader that an answering node names. Without
     * this, an operation that reached a new leader only after timing out at a dead one would leave
     * every later operation to time out there first.
     */
    private void rememberLeader(ClusterId cluster, int hint) {
        if (settings.topology().nodesOf(cluster).stream().anyMatch(node -> node.index() == hint)) {
            leaderOf.put(cluster, hint);
        }
    }

    private void redirect(long sequence, InFlight flight, int hint) {
        List<NodeId> members = settings.topology().nodesOf(flight.cluster);
        boolean hintInCluster = members.stream().anyMatch(n -> n.index() == hint);
        if (hintInCluster && hint != flight.node) {
            flight.node = hint;
            leaderOf.put(flight.cluster, hint);
            retryOrGiveUp(sequence, flight);
        } else {
            // The node knows no leader yet (an election is under way): ask the next node shortly.
            flight.retryAt = Math.min(flight.retryAt, now() + settings.client().retryBackoffMs());
        }
    }

    /**
     * A node cannot help: move on to the next one, and end the operation as unavailable once every
     * node of the cluster refused or stayed silent.
     */
    private void refused(long sequence, InFlight flight, int node, String why) {
        flight.refusedBy.put(node, why);
        List<NodeId> members = settings.topology().nodesOf(flight.cluster);
        if (flight.refusedBy.size() >= members.size()) {
            StringBuilder reasons = new StringBuilder();
            flight.refusedBy.forEach((n, reason) -> reasons.append(reasons.length() == 0 ? "" : "; ")
                    .append("n").append(n).append(": ").append(reason));
            finish(sequence, flight, Outcome.unavailable(sequence, "no node of cluster " + flight.cluster
                    + " can reach a majority (" + reasons + ")"));
            return;
        }
        flight.node = nextNode(flight);
        retryOrGiveUp(sequence, flight);
    }

    private Behavior<Command> onSweep() {
        long now = now();
        List<Long> due = new ArrayList<>();
        inFlight.forEach((sequence, flight) -> {
            if (now >= flight.retryAt) {
                due.add(sequence);
            }
        });
        for (long sequence : due) {
            InFlight flight = inFlight.get(sequence);
            if (flight.held) {
                flight.held = false;
                retryOrGiveUp(sequence, flight);
            } else if (now - flight.sentAt >= flight.timeoutMs) {
                // A busy node is silent too: wait longer next time rather than pile copies onto it.
                String why = "no answer within " + flight.timeoutMs + " ms";
                flight.timeoutMs = Math.min(2 * flight.timeoutMs, settings.client().requestTimeoutMaxMs());
                refused(sequence, flight, flight.node, why);
            } else {
                flight.node = nextNode(flight); // a short back-off after "no leader known" ended
                retryOrGiveUp(sequence, flight);
            }
        }
        return this;
    }

    private int nextNode(InFlight flight) {
        List<NodeId> members = settings.topology().nodesOf(flight.cluster);
        int position = 0;
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).index() == flight.node) {
                position = i;
            }
        }
        return members.get((position + 1) % members.size()).index();
    }

    private void retryOrGiveUp(long sequence, InFlight flight) {
        if (now() >= flight.deadline) {
            finish(sequence, flight, Outcome.unavailable(sequence, "cluster " + flight.cluster
                    + " did not decide within " + settings.client().deadlineMs()
                    + " ms (fewer than a majority of its nodes reachable?)"));
        } else {
            dispatch(sequence, flight);
        }
    }

    private void finish(long sequence, InFlight flight, Outcome outcome) {
        inFlight.remove(sequence);
        flight.replyTo.accept(outcome);
    }

    private ActorRef<NodeActor.Command> node(int index) {
        return nodes.computeIfAbsent(index, i ->
                ActorRefResolver.get(getContext().getSystem()).resolveActorRef(nodePaths.apply(new NodeId(i))));
    }
}
