package io.shardbank.node;

import io.shardbank.config.Settings;
import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.NodeMessage;
import io.shardbank.node.NodeProtocol.ClientReply;
import io.shardbank.node.NodeProtocol.ClientRequest;
import io.shardbank.paxos.Ballot;
import io.shardbank.shard.ShardStateMachine;
import io.shardbank.storage.StorageActor;
import io.shardbank.storage.WriteBatch;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One node: the Pekko host of its {@link NodeCore}. It turns messages into core inputs, drives the
 * core's clock with a fixed-rate tick, carries out what the core asks (messages to peers, replies to
 * clients, writes through the {@link StorageActor}, which answer back into the core once durable),
 * and answers operator commands: fail and recover, flush, status, balances and views.
 */
public final class NodeActor extends AbstractBehavior<NodeActor.Command>
        implements NodeCore.Host<ActorRef<ClientReply>> {

    /**
     * Everything a node takes: the client, operator and peer messages of {@link NodeProtocol} (Paxos
     * and two-phase commit inside their envelopes), and its own tick and storage notices.
     */
    public sealed interface Command permits NodeProtocol.ClientRequest, NodeProtocol.PaxosEnvelope,
            NodeProtocol.TxnEnvelope, NodeProtocol.InstallSnapshot, NodeProtocol.SetFailed, NodeProtocol.Flush,
            NodeProtocol.GetBalances, NodeProtocol.GetStatus, NodeProtocol.GetViews, NodeProtocol.GetReshardState,
            NodeActor.Tick,
            NodeActor.WriteDone, NodeActor.StateLoaded {
    }

    private enum Tick implements Command { INSTANCE }

    /** The storage actor to this node: the write with this token is durable. */
    private record WriteDone(StorageActor.Written written) implements Command {
    }

    /** The storage actor to this node: its state as loaded at start, or as reset by a flush. */
    private record StateLoaded(StorageActor.Loaded loaded, long bootstrapRound, ActorRef<NodeProtocol.Ack> flushedReplyTo)
            implements Command {
    }

    private final NodeId self;
    private final ClusterId cluster;
    private final Settings settings;
    private final NodeCore.Config coreConfig;
    private final IntFunction<String> peerPaths;
    private final Map<Integer, ActorRef<Command>> peerRefs = new HashMap<>();
    private final ActorRef<StorageActor.Command> storage;
    private final ActorRef<StorageActor.Written> writtenAdapter;
    private final SplittableRandom random = new SplittableRandom();

    /** Null while the node loads its state (at start and after a flush). */
    private NodeCore<ActorRef<ClientReply>> core;
    /** Where the core reports the fail points it passes: nowhere unless a test armed some. */
    private final NodeCore.Observer observer;
    private boolean failed;
    private long writeToken;
    /** The token of the core's write in flight; -1 when none (a write from before a flush is ignored). */
    private long awaitedToken = -1;

    /** A node; {@code failpoints} are armed by tests only ({@link Failpoints#none()} otherwise). */
    public static Behavior<Command> create(NodeId self, Settings settings,
            IntFunction<String> peerPaths, Behavior<StorageActor.Command> storageBehavior, Failpoints failpoints) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
                new NodeActor(context, timers, self, settings, peerPaths, storageBehavior, failpoints)));
    }

    private NodeActor(ActorContext<Command> context, TimerScheduler<Command> timers, NodeId self,
            Settings settings, IntFunction<String> peerPaths, Behavior<StorageActor.Command> storageBehavior,
            Failpoints failpoints) {
        super(context);
        this.observer = failpoints.isEmpty() ? NodeCore.Observer.NONE : new NodeCore.Observer() {
            @Override
            public void reached(FailPoint point, String detail) {
                failpoints.reach(point, detail);
            }
        };
        this.self = self;
        this.settings = settings;
        this.cluster = settings.topology().clusterOf(self);
        this.coreConfig = coreConfig(self, settings);
        this.peerPaths = peerPaths;
        this.storage = context.spawn(storageBehavior, "storage",
                DispatcherSelector.fromConfig("shardbank.storage-dispatcher"));
        context.watch(storage);
        this.writtenAdapter = context.messageAdapter(StorageActor.Written.class, WriteDone::new);
        context.getLog().debug("node {} of cluster {} starting", self, cluster);
        storage.tell(new StorageActor.Load(context.messageAdapter(StorageActor.Loaded.class,
                loaded -> new StateLoaded(loaded, 0, null))));
        timers.startTimerAtFixedRate(Tick.INSTANCE, Duration.ofMillis(settings.tickIntervalMs()));
    }

    private static NodeCore.Config coreConfig(NodeId self, Settings settings) {
        ClusterId cluster = settings.topology().clusterOf(self);
        return new NodeCore.Config(self.index(), cluster.index(), indexes(settings, cluster),
                index -> indexes(settings, new ClusterId(index)), settings.paxos(), settings.txn(),
                settings.batchOperationsMax(), settings.pendingOperationsMax(),
                settings.storage().checkpointIntervalSlots(), settings.storage().logRetainSlots(),
                settings.reshard().accessLogTransactionsMax(), settings.viewsKeptMax());
    }

    private static List<Integer> indexes(Settings settings, ClusterId cluster) {
        return settings.topology().nodesOf(cluster).stream().map(NodeId::index).toList();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(NodeProtocol.PaxosEnvelope.class, this::onPaxos)
                .onMessage(ClientRequest.class, this::onClientRequest)
                .onMessage(NodeProtocol.TxnEnvelope.class, this::onTxnMessage)
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessage(WriteDone.class, this::onWriteDone)
                .onMessage(StateLoaded.class, this::onStateLoaded)
                .onMessage(NodeProtocol.InstallSnapshot.class, this::onInstallSnapshot)
                .onMessage(NodeProtocol.SetFailed.class, this::onSetFailed)
                .onMessage(NodeProtocol.Flush.class, this::onFlush)
                .onMessage(NodeProtocol.GetBalances.class, this::onGetBalances)
                .onMessage(NodeProtocol.GetStatus.class, this::onGetStatus)
                .onMessage(NodeProtocol.GetViews.class, this::onGetViews)
                .onMessage(NodeProtocol.GetReshardState.class, this::onGetReshardState)
                .onSignal(Terminated.class, this::onStorageStopped)
                .build();
    }

    private ActorRef<Command> peer(int index) {
        return peerRefs.computeIfAbsent(index, i ->
                ActorRefResolver.get(getContext().getSystem()).resolveActorRef(peerPaths.apply(i)));
    }

    private long now() {
        return System.nanoTime() / 1_000_000;
    }

    /** A failed or loading node takes no input. */
    private boolean deaf() {
        return failed || core == null;
    }

    // ---------------------------------------------------------------- start, flush, restart

    private Behavior<Command> onStateLoaded(StateLoaded message) {
        ShardStateMachine machine = new ShardStateMachine(cluster, settings.topology().initialShardMap(),
                settings.topology().initialBalance(), settings.dedupWindowPerClient());
        core = new NodeCore<>(coreConfig, machine, message.loaded().state(), random, now(), this, observer);
        boolean flushed = message.flushedReplyTo() != null;
        core.start(flushed ? new Ballot(message.bootstrapRound(), settings.topology().initialLeader(cluster).index())
                : null);
        getContext().getLog().debug("{} loaded: applied slot {}, commit index {}", self, core.appliedSlot(),
                core.commitIndex());
        if (flushed) {
            message.flushedReplyTo().tell(new NodeProtocol.Ack(self.index(), "flushed"));
        }
        return this;
    }

    private Behavior<Command> onFlush(NodeProtocol.Flush flush) {
        failed = false;
        if (core != null) {
            core.failQueued("the node was flushed");
        }
        core = null;
        awaitedToken = -1;
        storage.tell(new StorageActor.Reset(getContext().messageAdapter(StorageActor.Loaded.class,
                loaded -> new StateLoaded(loaded, flush.round(), flush.replyTo()))));
        return this;
    }

    private Behavior<Command> onStorageStopped(Terminated terminated) {
        throw new IllegalStateException(self + " lost its storage; a node that cannot persist must not vote");
    }

    // ---------------------------------------------------------------- inputs

    private Behavior<Command> onPaxos(NodeProtocol.PaxosEnvelope envelope) {
        if (!deaf()) {
            core.onPaxos(envelope.message(), now());
        }
        return this;
    }

    private Behavior<Command> onTick() {
        if (!deaf()) {
            core.onTick(now());
        }
        return this;
    }

    private Behavior<Command> onTxnMessage(NodeProtocol.TxnEnvelope envelope) {
        if (!deaf()) {
            core.onTxnMessage(envelope.message(), now());
        }
        return this;
    }

    private Behavior<Command> onClientRequest(ClientRequest request) {
        if (!deaf()) { // a failed node is unreachable: the client times out and tries another
            core.onClientRequest(request.replyTo(), request.clientId(), request.operations(), now());
        }
        return this;
    }

    private Behavior<Command> onInstallSnapshot(NodeProtocol.InstallSnapshot snapshot) {
        if (!deaf()) {
            core.onInstallSnapshot(snapshot, now());
        }
        return this;
    }

    private Behavior<Command> onWriteDone(WriteDone done) {
        if (done.written().token() == awaitedToken) { // else a write from before a flush
            awaitedToken = -1;
            core.onWriteDone(now());
        }
        return this;
    }

    private Behavior<Command> onSetFailed(NodeProtocol.SetFailed command) {
        boolean wasFailed = failed;
        failed = command.failed();
        if (core != null && failed && !wasFailed) {
            core.failQueued(self + " failed");
        } else if (core != null && !failed && wasFailed) {
            core.rejoin(now());
        }
        command.replyTo().tell(new NodeProtocol.Ack(self.index(), failed ? "failed" : "recovered"));
        return this;
    }

    // ---------------------------------------------------------------- what the core asks

    @Override
    public void send(int node, NodeMessage message) {
        if (!failed) {
            peer(node).tell(NodeProtocol.toPeer(message));
        }
    }

    @Override
    public void reply(ActorRef<ClientReply> client, ClientReply reply) {
        if (!failed) {
            client.tell(reply);
        }
    }

    @Override
    public void write(WriteBatch batch) {
        awaitedToken = ++writeToken;
        storage.tell(new StorageActor.Write(batch, awaitedToken, writtenAdapter));
    }

    @Override
    public void leadershipChanged(boolean leading, Ballot ballot, int leaderHint) {
        if (leading) {
            getContext().getLog().info("{} leads cluster {} at ballot {}", self, cluster, ballot);
        } else {
            // Hint 0 means the replica knows of no leader (it stepped down on its own): there is no n0.
            getContext().getLog().info("{} stepped down (ballot {}, {})", self, ballot,
                    leaderHint > 0 ? "leader hint n" + leaderHint : "no leader known");
        }
    }

    // ---------------------------------------------------------------- operator queries

    private Behavior<Command> onGetBalances(NodeProtocol.GetBalances query) {
        Map<Integer, Long> balances = core == null ? new HashMap<>() : core.balances(query.items());
        query.replyTo().tell(new NodeProtocol.Balances(self.index(), balances));
        return this;
    }

    private Behavior<Command> onGetStatus(NodeProtocol.GetStatus query) {
        if (core == null) {
            query.replyTo().tell(new NodeProtocol.Status(self.index(), "LOADING", 0, null, 0, 0, failed, List.of(), 0, 0, 0));
        } else {
            query.replyTo().tell(core.status(failed));
        }
        return this;
    }

    private Behavior<Command> onGetReshardState(NodeProtocol.GetReshardState query) {
        if (core != null && !failed) {
            query.replyTo().tell(core.reshardState());
        }
        return this;
    }

    private Behavior<Command> onGetViews(NodeProtocol.GetViews query) {
        query.replyTo().tell(new NodeProtocol.Views(self.index(), core == null ? List.of() : core.views()));
        return this;
    }
}
