package io.shardbank.client;

import io.shardbank.cluster.EmbeddedCluster;
import io.shardbank.cluster.NodeSystem;
import io.shardbank.cluster.PeerReconnector;
import io.shardbank.config.Settings;
import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.node.NodeActor;
import io.shardbank.node.NodeProtocol;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import io.shardbank.shard.ReadConsistency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The Java client API: transfers and reads with clear outcomes, and the operator commands (fail,
 * recover, flush, status, balances, views). It runs its own small ActorSystem that talks to the
 * nodes over Artery like any remote client.
 */
public final class ShardbankClient implements AutoCloseable {

    private final Settings settings;
    private final ActorSystem<ClientActor.Command> system;
    private final Duration adminTimeout;
    /** Flush rounds grow with the wall clock, so they exceed every ballot round of earlier runs. */
    private long lastFlushRound;
    private ActorRef<ReshardCoordinator.Command> reshardCoordinator;

    private ShardbankClient(Settings settings, ActorSystem<ClientActor.Command> system) {
        this.settings = settings;
        this.system = system;
        this.adminTimeout = Duration.ofMillis(settings.client().adminTimeoutMs());
    }

    /** Connects to the nodes the settings name; the client listens on {@code host} at a free port. */
    public static ShardbankClient connect(Settings settings, String host) {
        long clientId = new SplittableRandom().nextLong(1, Long.MAX_VALUE);
        Function<NodeId, String> paths = node -> NodeSystem.pathOf(settings, node);
        ActorSystem<ClientActor.Command> system = ActorSystem.create(
                ClientActor.create(clientId, settings, paths), NodeSystem.SYSTEM_NAME,
                NodeSystem.remotingConfig(host, 0));
        PeerReconnector.install(system, settings);
        return new ShardbankClient(settings, system);
    }

    /**
     * Connects to an embedded cluster just started and flushes it. Its nodes start one after another,
     * so early leaders may lose their quorum and elections run; a flush once all are up gives the
     * documented start: the first node of each cluster leads.
     */
    public static ShardbankClient connectFlushed(EmbeddedCluster cluster) {
        ShardbankClient client = connect(cluster.settings(), cluster.settings().network().host());
        try {
            client.flushAll();
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    public Settings settings() {
        return settings;
    }

    /** Moves {@code amount} from {@code from} to {@code to}. */
    public CompletionStage<Outcome> transfer(int from, int to, long amount) {
        return submit(new Operation.Transfer(0, from, to, amount));
    }

    /** Reads the balance of {@code item} from its cluster's leader, linearizably. */
    public CompletionStage<Outcome> read(int item) {
        return submit(new Operation.BalanceRead(0, item));
    }

    /** Reads the balance of {@code item} at the given consistency (see {@link ReadConsistency}). */
    public CompletionStage<Outcome> read(int item, ReadConsistency consistency) {
        return consistency == ReadConsistency.LINEARIZABLE ? read(item)
                : submit(new Operation.LocalRead(0, item, consistency));
    }

    /**
     * Applies every delta atomically (none may take a balance below zero); the items may live in
     * several clusters, and then two-phase commit runs over their Paxos logs.
     */
    public CompletionStage<Outcome> transaction(List<ItemDelta> deltas) {
        return submit(new Operation.Transaction(0, List.copyOf(deltas)));
    }

    /**
     * Runs any operation; its sequence number is assigned here (the one it carries is ignored). The
     * client actor ends every operation within {@code client.deadline-ms}; should it not answer at
     * all (its system stopped), the operation ends unavailable after that and the admin timeout.
     */
    public CompletionStage<Outcome> submit(Operation operation) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        system.tell(new ClientActor.SubmitForFuture(operation, result));
        return result;
    }

    // ---------------------------------------------------------------- operator commands

    /**
     * Runs one reshard round: plans from the clusters' recent history and migrates the items the
     * plan moves; completes once every batch moved or was given up (or with a report of why the
     * round could not start).
     */
    public synchronized CompletionStage<ReshardCoordinator.Report> reshard() {
        if (reshardCoordinator == null) {
            reshardCoordinator = system.systemActorOf(ReshardCoordinator.create(new ReshardCoordinator.Gateway() {
                @Override
                public Map<ClusterId, List<NodeId>> nodesByCluster() {
                    Map<ClusterId, List<NodeId>> nodes = new TreeMap<>();
                    for (ClusterId cluster : settings.topology().allClusters()) {
                        nodes.put(cluster, settings.topology().nodesOf(cluster));
                    }
                    return nodes;
                }

                @Override
                public ActorRef<NodeActor.Command> node(NodeId node) {
                    return ActorRefResolver.get(system).resolveActorRef(NodeSystem.pathOf(settings, node));
                }

                @Override
                public CompletionStage<Outcome> submit(Operation operation) {
                    return ShardbankClient.this.submit(operation);
                }
            }, settings.reshard(), settings.migration(), settings.topology().itemCount(),
                    Duration.ofMillis(settings.migration().stateTimeoutMs())),
                    "reshard-coordinator", Props.empty());
        }
        return AskPattern.ask(reshardCoordinator, ReshardCoordinator.Reshard::new,
                Duration.ofMillis(settings.migration().roundTimeoutMs()), system.scheduler());
    }

    /** Makes {@code node} act disconnected ({@code failed}) or rejoin. */
    public void setFailed(NodeId node, boolean failed) {
        this.<NodeProtocol.Ack>ask(node, replyTo -> new NodeProtocol.SetFailed(failed, replyTo));
    }

    /** Flushes every node: initial balances, empty logs, the first node of each cluster leading. */
    public void flushAll() {
        List<CompletableFuture<NodeProtocol.Ack>> acks = new ArrayList<>();
        long round = Math.max(System.currentTimeMillis(), lastFlushRound + 1);
        lastFlushRound = round;
        for (NodeId node : settings.topology().allNodes()) {
            acks.add(this.<NodeProtocol.Ack>askAsync(node, replyTo -> new NodeProtocol.Flush(round, replyTo)));
        }
        acks.forEach(ack -> await(ack, "flush"));
    }

    public NodeProtocol.Status status(NodeId node) {
        return ask(node, NodeProtocol.GetStatus::new);
    }

    public NodeProtocol.Balances balances(NodeId node, List<Integer> items) {
        return ask(node, replyTo -> new NodeProtocol.GetBalances(items, replyTo));
    }

    public NodeProtocol.Views views(NodeId node) {
        return ask(node, NodeProtocol.GetViews::new);
    }

    private <T> T ask(NodeId node, Function<ActorRef<T>, NodeActor.Command> message) {
        return await(askAsync(node, message), "a request to " + node);
    }

    /**
     * Asks a node of the topology. A node outside it is refused at once: its address would be some
     * port where nothing answers, and the caller would wait out the timeout for nothing.
     */
    private <T> CompletableFuture<T> askAsync(NodeId node, Function<ActorRef<T>, NodeActor.Command> message) {
        if (!settings.topology().hasNode(node)) {
            throw new IllegalArgumentException("unknown node " + node + ": this topology has n1..n"
                    + settings.topology().nodeCount());
        }
        ActorRef<NodeActor.Command> ref = ActorRefResolver.get(system).resolveActorRef(NodeSystem.pathOf(settings, node));
        return AskPattern.<NodeActor.Command, T>ask(ref, message::apply, adminTimeout, system.scheduler())
                .toCompletableFuture();
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(adminTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + what, e);
        } catch (Exception e) {
            throw new IllegalStateException(what + " got no answer within " + adminTimeout.toSeconds() + " s", e);
        }
    }

    @Override
    public void close() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // The client is going away either way.
        }
    }
}
