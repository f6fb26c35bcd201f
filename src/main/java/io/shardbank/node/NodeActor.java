package io.shardbank.node;

import io.shardbank.config.Settings;
import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeId;
import io.shardbank.model.NodeMessage;
import io.shardbank.model.RequestId;
import io.shardbank.node.NodeProtocol.ClientReply;
import io.shardbank.node.NodeProtocol.ClientRequest;
import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.PaxosMessage;
import io.shardbank.paxos.PaxosReplica;
import io.shardbank.paxos.Ready;
import io.shardbank.paxos.SlotValue;
import io.shardbank.shard.BatchCodec;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.LogCommand;
import io.shardbank.shard.LoggedOperation;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import io.shardbank.shard.ReadConsistency;
import io.shardbank.shard.ShardStateMachine;
import io.shardbank.shard.TxnRecord;
import io.shardbank.storage.Checkpoint;
import io.shardbank.storage.StorageActor;
import io.shardbank.storage.StoredState;
import io.shardbank.storage.WriteBatch;
import io.shardbank.txn.TwoPhaseCommit;
import io.shardbank.txn.TxnMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One node: the host of its {@link PaxosReplica} and {@link ShardStateMachine}. It feeds the
 * replica messages, ticks and proposals, and carries out each {@link Ready} in order: send, persist
 * through the {@link StorageActor} (group commit: one write in flight, the rest merged behind it),
 * send what had to wait for the disk, apply what was chosen and answer clients. Tests can make it
 * die at named two-phase-commit steps ({@link Failpoints}).
 */
public final class NodeActor extends AbstractBehavior<NodeMessage> {

    private enum Tick implements NodeMessage { INSTANCE }

    private record WriteDone(StorageActor.Written written) implements NodeMessage {
    }

    private record StateLoaded(StorageActor.Loaded loaded, long bootstrapRound, ActorRef<NodeProtocol.Ack> flushedReplyTo)
            implements NodeMessage {
    }

    private final NodeId self;
    private final ClusterId cluster;
    private final List<Integer> members;
    private final Settings settings;
    private final IntFunction<String> peerPaths;
    private final Map<Integer, ActorRef<NodeMessage>> peerRefs = new HashMap<>();
    private final ActorRef<StorageActor.Command> storage;
    private final ActorRef<StorageActor.Written> writtenAdapter;
    private final SplittableRandom random = new SplittableRandom();
    private final Failpoints failpoints;

    private PaxosReplica replica;
    private ShardStateMachine machine;
    private TwoPhaseCommit twoPhaseCommit;
    private boolean failed;
    private boolean loading = true;
    private long epoch;

    private final ArrayDeque<LogCommand> pending = new ArrayDeque<>();
    private final Map<RequestId, ActorRef<ClientReply>> waiting = new HashMap<>();
    private final List<NodeProtocol.ViewRecord> views = new ArrayList<>();

    // Group commit: one write in flight; what arrives meanwhile merges into the open batch.
    private WriteBatch openBatch = new WriteBatch();
    private List<Ready.Outbound> openAfterPersist = new ArrayList<>();
    private List<Ready.Outbound> inFlightAfterPersist = List.of();
    private long inFlightCompaction;
    private boolean writing;
    private long writeToken;
    private long lastCheckpointSlot;
    /** The last slot this node re-proposed when it became leader: two-phase commit leads once the shard applied it. */
    private long viewEndSlot;

    public static Behavior<NodeMessage> create(NodeId self, Settings settings,
            IntFunction<String> peerPaths, Behavior<StorageActor.Command> storageBehavior, Failpoints failpoints) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
                new NodeActor(context, timers, self, settings, peerPaths, storageBehavior, failpoints)));
    }

    private NodeActor(ActorContext<NodeMessage> context, TimerScheduler<NodeMessage> timers, NodeId self,
            Settings settings, IntFunction<String> peerPaths, Behavior<StorageActor.Command> storageBehavior,
            Failpoints failpoints) {
        super(context);
        this.self = self;
        this.settings = settings;
        this.failpoints = failpoints;
        this.cluster = settings.topology().clusterOf(self);
        this.members = settings.topology().nodesOf(cluster).stream().map(NodeId::index).toList();
        this.peerPaths = peerPaths;
        this.storage = context.spawn(storageBehavior, "storage",
                org.apache.pekko.actor.typed.DispatcherSelector.fromConfig("shardbank.storage-dispatcher"));
        context.watch(storage);
        this.writtenAdapter = context.messageAdapter(StorageActor.Written.class, WriteDone::new);
        context.getLog().debug("node {} of cluster {} starting", self, cluster);
        storage.tell(new StorageActor.Load(context.messageAdapter(StorageActor.Loaded.class,
                loaded -> new StateLoaded(loaded, 0, null))));
        timers.startTimerAtFixedRate(Tick.INSTANCE, Duration.ofMillis(settings.tickIntervalMs()));
    }

    @Override
    public Receive<NodeMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(PaxosMessage.class, this::onPaxos)
                .onMessage(ClientRequest.class, this::onClientRequest)
                .onMessage(TxnMessage.class, this::onTxnMessage)
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessage(WriteDone.class, this::onWriteDone)
                .onMessage(StateLoaded.class, this::onStateLoaded)
                .onMessage(NodeProtocol.InstallSnapshot.class, this::onInstallSnapshot)
                .onMessage(NodeProtocol.SetFailed.class, this::onSetFailed)
                .onMessage(NodeProtocol.Flush.class, this::onFlush)
                .onMessage(NodeProtocol.GetBalances.class, this::onGetBalances)
                .onMessage(NodeProtocol.GetStatus.class, this::onGetStatus)
                .onMessage(NodeProtocol.GetViews.class, this::onGetViews)
                .onSignal(Terminated.class, this::onStorageStopped)
                .build();
    }

    private ActorRef<NodeMessage> peer(int index) {
        return peerRefs.computeIfAbsent(index, i ->
                ActorRefResolver.get(getContext().getSystem()).resolveActorRef(peerPaths.apply(i)));
    }

    private long now() {
        return System.nanoTime() / 1_000_000;
    }

    private boolean deaf() {
        return failed || loading;
    }

    // ---------------------------------------------------------------- start, flush, restart

    private Behavior<NodeMessage> onStateLoaded(StateLoaded message) {
        StoredState state = message.loaded().state();
        machine = new ShardStateMachine(cluster, settings.topology().initialShardMap(),
                settings.topology().initialBalance(), settings.dedupWindowPerClient());
        machine.restore(state.appliedSlot(), state.balances(), state.sessions());
        lastCheckpointSlot = state.appliedSlot();
        replica = new PaxosReplica(self.index(), members, settings.paxos(), random, state.paxos(), now());
        replayChosen();
        twoPhaseCommit = new TwoPhaseCommit(cluster.index(), self.index(), settings.txn(),
                index -> settings.topology().nodesOf(new ClusterId(index)).stream().map(NodeId::index).toList());
        if (message.flushedReplyTo() != null) {
            // Every node of the cluster is being reset together: the first node leads at once. A node
            // that merely starts on an empty disk does not: a crash before its first write would let
            // it reuse a ballot it may already have used with other values.
            replica.bootstrap(new Ballot(message.bootstrapRound(), settings.topology().initialLeader(cluster).index()));
        }
        loading = false;
        getContext().getLog().debug("{} loaded: applied slot {}, commit index {}", self, machine.appliedSlot(),
                replica.commitIndex());
        process(replica.drainReady());
        if (message.flushedReplyTo() != null) {
            message.flushedReplyTo().tell(new NodeProtocol.Ack(self.index(), "flushed"));
        }
        return this;
    }

    /** At start: apply the chosen slots that follow the last checkpoint. */
    private void replayChosen() {
        for (long slot = machine.appliedSlot() + 1; slot <= replica.commitIndex(); slot++) {
            SlotValue entry = replica.entry(slot);
            io.shardbank.model.Invariants.check(entry != null, "%s lost chosen slot %d", self, slot);
            machine.apply(slot, entry.value());
        }
    }

    private Behavior<NodeMessage> onFlush(NodeProtocol.Flush flush) {
        loading = true;
        failed = false;
        epoch++;
        writing = false;
        openBatch = new WriteBatch();
        openAfterPersist = new ArrayList<>();
        failQueued("the node was flushed");
        views.clear();
        storage.tell(new StorageActor.Reset(getContext().messageAdapter(StorageActor.Loaded.class,
                loaded -> new StateLoaded(loaded, flush.round(), flush.replyTo()))));
        return this;
    }

    private Behavior<NodeMessage> onStorageStopped(Terminated terminated) {
        throw new IllegalStateException(self + " lost its storage; a node that cannot persist must not vote");
    }

    // ---------------------------------------------------------------- inputs

    private Behavior<NodeMessage> onPaxos(PaxosMessage message) {
        if (!deaf()) {
            replica.onMessage(message);
            process(replica.drainReady());
        }
        return this;
    }

    private Behavior<NodeMessage> onTick() {
        if (!deaf()) {
            long now = now();
            replica.tick(now);
            process(replica.drainReady());
            twoPhaseCommit.onLeadership(leadsTwoPhaseCommit(), replica.leaderHint(), machine, now);
            twoPhaseCommit.tick(now);
            carryOutTwoPhaseCommit();
        }
        return this;
    }

    private Behavior<NodeMessage> onTxnMessage(TxnMessage message) {
        if (!deaf()) {
            twoPhaseCommit.onMessage(message, machine, replica.isLeader() && replica.hasQuorumContact(), now());
            carryOutTwoPhaseCommit();
        }
        return this;
    }

    /** Sends what two-phase commit asks to send, and queues what it asks to log. */
    private void carryOutTwoPhaseCommit() {
        List<TwoPhaseCommit.Effect> effects = twoPhaseCommit.drainEffects();
        if (effects.isEmpty()) {
            return;
        }
        for (TwoPhaseCommit.Effect effect : effects) {
            if (effect instanceof TwoPhaseCommit.Send send) {
                if (!failed) {
                    peer(send.node()).tell(send.message());
                }
                afterSending(send.message());
            } else if (replica.isLeader()) {
                LogCommand command = ((TwoPhaseCommit.Propose) effect).command();
                beforeProposing(command);
                pending.add(command); // a follower never queues a proposal
            }
        }
        proposeWhatFits();
    }

    /**
     * Fail point: a participant's leader handed its own yes vote on a transaction it holds prepared
     * to the transport (a vote a node merely forwards names another sender).
     */
    private void afterSending(TxnMessage message) {
        if (failpoints.isArmed(Failpoints.Point.PARTICIPANT_PREPARED) && message instanceof TxnMessage.TxnVote vote
                && vote.yes() && vote.fromNode() == self.index() && holdsPrepared(vote.txn())) {
            failpoints.reach(Failpoints.Point.PARTICIPANT_PREPARED, "voted yes on transaction " + vote.txn());
        }
    }

    /** Fail point: the coordinator's leader is about to log the decision of a transaction its cluster prepared. */
    private void beforeProposing(LogCommand command) {
        if (failpoints.isArmed(Failpoints.Point.COORDINATOR_BEFORE_DECISION)
                && command instanceof LogCommand.TxnDecided decided && holdsPrepared(decided.txn())
                && machine.txn(decided.txn()).coordinatedBy(cluster.index())) {
            failpoints.reach(Failpoints.Point.COORDINATOR_BEFORE_DECISION, "about to log " + decided.status()
                    + " for transaction " + decided.txn());
        }
    }

    private boolean holdsPrepared(RequestId txn) {
        TxnRecord record = machine.txn(txn);
        return record != null && record.state() == TxnRecord.State.PREPARED;
    }

    private Behavior<NodeMessage> onClientRequest(ClientRequest request) {
        if (deaf()) {
            return this; // a failed node is unreachable: the client times out and tries another
        }
        List<Outcome> immediate = new ArrayList<>();
        for (Operation operation : request.operations()) {
            Outcome answer = admit(request, operation);
            if (answer != null) {
                immediate.add(answer);
            }
        }
        if (!immediate.isEmpty()) {
            request.replyTo().tell(new ClientReply(self.index(), replica.leaderHint(), request.clientId(), immediate));
        }
        carryOutTwoPhaseCommit();
        proposeWhatFits();
        return this;
    }

    /** Queues an operation for a slot, or returns the answer it gets at once. */
    private Outcome admit(ClientRequest request, Operation operation) {
        if (operation instanceof Operation.LocalRead read) {
            Outcome answer = readLocally(read);
            if (answer != null) {
                return answer;
            }
            operation = new Operation.BalanceRead(read.sequence(), read.item()); // no lease: through the log
        }
        if (replica.knowsNoMajority()) {
            return Outcome.noMajority(operation.sequence(), noMajorityReason());
        }
        if (!replica.isLeader()) {
            return Outcome.notLeader(operation.sequence());
        }
        Outcome rejection = machine.validate(operation);
        if (rejection != null) {
            return rejection;
        }
        if (pending.size() >= settings.pendingOperationsMax()) {
            return Outcome.unavailable(operation.sequence(), "overloaded: " + pending.size() + " operations queued at "
                    + self);
        }
        RequestId id = new RequestId(request.clientId(), operation.sequence());
        if (machine.isLocal(operation)) {
            pending.add(new LoggedOperation(request.clientId(), operation));
            waiting.put(id, request.replyTo());
            return null;
        }
        return coordinate(id, operation, request.replyTo());
    }

    /** Answers a read from this node's applied state when its consistency allows, else null. */
    private Outcome readLocally(Operation.LocalRead read) {
        Outcome rejection = machine.validate(read);
        if (rejection != null) {
            return rejection;
        }
        boolean allowed = read.consistency() == ReadConsistency.ANY
                || read.consistency() == ReadConsistency.LEASE && replica.hasReadLease(now());
        if (allowed) {
            return Outcome.balance(read.sequence(), machine.committedBalance(read.item()));
        }
        return read.consistency() == ReadConsistency.LEASE && !replica.isLeader()
                ? Outcome.notLeader(read.sequence()) : null;
    }

    /** Starts (or joins) the two-phase commit of an operation that spans clusters. */
    private Outcome coordinate(RequestId id, Operation operation, ActorRef<ClientReply> replyTo) {
        if (machine.txn(id) != null) {
            waiting.put(id, replyTo); // under way: answered when it ends
            return null;
        }
        Outcome known = machine.outcomeOf(id);
        if (known != null) {
            return known; // a retry of a finished transaction
        }
        waiting.put(id, replyTo);
        List<Integer> participants = machine.participantsOf(operation);
        Map<Integer, List<ItemDelta>> deltas = new HashMap<>();
        deltas.put(cluster.index(), machine.deltasFor(operation, cluster.index()));
        participants.forEach(c -> deltas.put(c, machine.deltasFor(operation, c)));
        twoPhaseCommit.coordinate(id, participants, deltas);
        return null;
    }

    private String noMajorityReason() {
        return replica.isLeader()
                ? self + " leads " + cluster + " but is in touch with " + nodeNames(replica.contactedMembers()) + " only"
                : self + " heard from fewer than a majority of " + cluster + " in its last election";
    }

    private static String nodeNames(List<Integer> indexes) {
        return indexes.stream().map(i -> "n" + i).toList().toString();
    }

    /** Starts as many slots as the pipeline allows, each with as many queued operations as fit. */
    private void proposeWhatFits() {
        if (!pending.isEmpty() && replica.isLeader() && !replica.hasQuorumContact()) {
            failPending(Outcome.Status.NO_MAJORITY, noMajorityReason());
        }
        while (!pending.isEmpty() && replica.canPropose()) {
            int size = Math.min(pending.size(), settings.batchOperationsMax());
            List<LogCommand> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(pending.poll());
            }
            replica.propose(BatchCodec.encode(batch));
        }
        process(replica.drainReady());
    }

    private Behavior<NodeMessage> onInstallSnapshot(NodeProtocol.InstallSnapshot snapshot) {
        if (deaf() || snapshot.slot() <= replica.commitIndex() || replica.isLeader()) {
            return this;
        }
        machine.restore(snapshot.slot(), snapshot.balances(), snapshot.sessions());
        replica.installSnapshot(snapshot.slot());
        lastCheckpointSlot = snapshot.slot();
        openBatch.checkpoint(new Checkpoint(snapshot.slot(), snapshot.balances(), true, snapshot.sessions(),
                snapshot.slot()));
        process(replica.drainReady());
        return this;
    }

    private Behavior<NodeMessage> onSetFailed(NodeProtocol.SetFailed command) {
        boolean wasFailed = failed;
        failed = command.failed();
        if (failed && !wasFailed) {
            failQueued(self + " failed");
        } else if (!failed && wasFailed && !loading) {
            replica.rejoin(now());
            process(replica.drainReady());
        }
        command.replyTo().tell(new NodeProtocol.Ack(self.index(), failed ? "failed" : "recovered"));
        return this;
    }

    // ---------------------------------------------------------------- carrying out a Ready

    private void process(Ready ready) {
        if (ready.isEmpty()) {
            return;
        }
        send(ready.sendNow);
        boolean mustWait = ready.needsPersist() || writing || !openBatch.isEmpty() || !openAfterPersist.isEmpty();
        if (ready.promised != null) {
            openBatch.promise(ready.promised);
        }
        openBatch.accept(ready.accepted);
        if (ready.commitIndex >= 0) {
            openBatch.commitIndex(ready.commitIndex);
        }
        List<Ready.Outbound> afterPersist = ready.sendAfterPersist;
        if (mustWait) {
            openAfterPersist.addAll(afterPersist);
        }
        apply(ready.committed);
        ready.views.forEach(this::onView);
        ready.snapshotRequests.forEach(this::sendSnapshot);
        if (ready.leadershipChanged) {
            onLeadershipChanged();
        }
        flushWrites();
        if (!mustWait) {
            send(afterPersist);
        }
    }

    private void onView(PaxosMessage.NewView view) {
        views.add(ViewRecords.of(view));
        if (view.from() == self.index()) {
            viewEndSlot = view.entries().isEmpty() ? view.commitIndex()
                    : view.entries().get(view.entries().size() - 1).slot();
        }
    }

    /**
     * Two-phase commit takes over as leader only once the shard has applied every slot the new
     * leader re-proposed: a decision of the former leader may be among them, and recovery must not
     * abort a transaction whose commit is already in the log (both decisions would be chosen).
     */
    private boolean leadsTwoPhaseCommit() {
        return replica.isLeader() && machine.appliedSlot() >= viewEndSlot;
    }

    private void onLeadershipChanged() {
        twoPhaseCommit.onLeadership(leadsTwoPhaseCommit(), replica.leaderHint(), machine, now());
        if (replica.isLeader()) {
            getContext().getLog().info("{} leads cluster {} at ballot {}", self, cluster, replica.ballot());
        } else {
            getContext().getLog().info("{} stepped down (ballot {}, leader hint n{})", self, replica.ballot(),
                    replica.leaderHint());
            failQueued(self + " is no longer the leader");
        }
        carryOutTwoPhaseCommit(); // a new leader's recovery steps belong to this term, not to a later one
    }

    private void send(List<Ready.Outbound> messages) {
        for (Ready.Outbound out : messages) {
            if (out.to() == self.index()) {
                replica.onMessage(out.message());
                process(replica.drainReady());
            } else if (!failed) {
                peer(out.to()).tell(out.message());
            }
        }
    }

    private void flushWrites() {
        if (writing || (openBatch.isEmpty() && openAfterPersist.isEmpty())) {
            return;
        }
        writing = true;
        writeToken = (epoch << 40) | (writeToken + 1 & ((1L << 40) - 1));
        inFlightAfterPersist = openAfterPersist;
        inFlightCompaction = openBatch.compactThrough();
        storage.tell(new StorageActor.Write(openBatch, writeToken, writtenAdapter));
        openBatch = new WriteBatch();
        openAfterPersist = new ArrayList<>();
    }

    private Behavior<NodeMessage> onWriteDone(WriteDone done) {
        if (done.written().token() != writeToken || !writing) {
            return this; // a write from before a flush
        }
        writing = false;
        List<Ready.Outbound> release = inFlightAfterPersist;
        inFlightAfterPersist = List.of();
        if (inFlightCompaction > 0 && !loading) {
            replica.compactThrough(Math.min(inFlightCompaction, replica.commitIndex()));
        }
        if (!loading) {
            send(release);
        }
        flushWrites();
        if (!deaf()) {
            proposeWhatFits();
        }
        return this;
    }

    private void apply(List<SlotValue> committed) {
        if (committed.isEmpty()) {
            return;
        }
        Map<ActorRef<ClientReply>, Map<Long, List<Outcome>>> replies = new HashMap<>();
        long now = now();
        for (SlotValue entry : committed) {
            for (ShardStateMachine.Applied applied : machine.apply(entry.slot(), entry.value())) {
                if (applied instanceof ShardStateMachine.ClientOutcome result) {
                    ActorRef<ClientReply> client = waiting.remove(
                            new RequestId(result.clientId(), result.outcome().sequence()));
                    if (client != null) {
                        addReply(replies, client, result.clientId(), result.outcome());
                    }
                } else {
                    twoPhaseCommit.onApplied(applied, now);
                }
            }
        }
        sendReplies(replies);
        maybeCheckpoint();
        carryOutTwoPhaseCommit();
    }

    private void maybeCheckpoint() {
        long applied = machine.appliedSlot();
        if (applied - lastCheckpointSlot < settings.storage().checkpointIntervalSlots()) {
            return;
        }
        lastCheckpointSlot = applied;
        long compactThrough = Math.max(0, applied - settings.storage().logRetainSlots());
        openBatch.checkpoint(new Checkpoint(applied, machine.takeDirtyBalances(), false, machine.encodeSessions(),
                compactThrough));
    }

    private void sendSnapshot(int to) {
        if (!failed) {
            peer(to).tell(new NodeProtocol.InstallSnapshot(self.index(), machine.appliedSlot(),
                    machine.allBalances(), machine.encodeSessions()));
        }
    }

    /**
     * Answers every queued and proposed operation with NOT_LEADER: the client retries at the leader
     * hint with the same request id, and the dedup table gives it the real outcome of one that did
     * get chosen.
     */
    private void failQueued(String reason) {
        Map<ActorRef<ClientReply>, Map<Long, List<Outcome>>> replies = new HashMap<>();
        waiting.forEach((id, client) -> addReply(replies, client, id.clientId(),
                new Outcome(id.sequence(), Outcome.Status.NOT_LEADER, reason, 0)));
        waiting.clear();
        pending.clear();
        sendReplies(replies);
    }

    /**
     * Answers the queued client operations that no slot holds yet; they can never run. Queued
     * two-phase-commit steps stay: the engine counts them as proposed and would never ask again.
     */
    private void failPending(Outcome.Status status, String reason) {
        Map<ActorRef<ClientReply>, Map<Long, List<Outcome>>> replies = new HashMap<>();
        for (Iterator<LogCommand> queued = pending.iterator(); queued.hasNext(); ) {
            if (queued.next() instanceof LoggedOperation operation) {
                queued.remove();
                ActorRef<ClientReply> client = waiting.remove(operation.requestId());
                if (client != null) {
                    addReply(replies, client, operation.clientId(),
                            new Outcome(operation.operation().sequence(), status, reason, 0));
                }
            }
        }
        sendReplies(replies);
    }

    private static void addReply(Map<ActorRef<ClientReply>, Map<Long, List<Outcome>>> replies,
            ActorRef<ClientReply> client, long clientId, Outcome outcome) {
        replies.computeIfAbsent(client, c -> new HashMap<>())
                .computeIfAbsent(clientId, id -> new ArrayList<>())
                .add(outcome);
    }

    private void sendReplies(Map<ActorRef<ClientReply>, Map<Long, List<Outcome>>> replies) {
        if (failed) {
            return;
        }
        int hint = replica == null ? 0 : replica.leaderHint();
        replies.forEach((client, byClient) -> byClient.forEach((clientId, outcomes) ->
                client.tell(new ClientReply(self.index(), hint, clientId, outcomes))));
    }

    // ---------------------------------------------------------------- operator queries

    private Behavior<NodeMessage> onGetBalances(NodeProtocol.GetBalances query) {
        Map<Integer, Long> balances = new HashMap<>();
        if (machine != null) {
            for (int item : query.items()) {
                if (machine.owns(item)) {
                    balances.put(item, machine.balance(item));
                }
            }
        }
        query.replyTo().tell(new NodeProtocol.Balances(self.index(), balances));
        return this;
    }

    private Behavior<NodeMessage> onGetStatus(NodeProtocol.GetStatus query) {
        if (replica == null) {
            query.replyTo().tell(new NodeProtocol.Status(self.index(), "LOADING", 0, null, 0, 0, failed, List.of(), 0, 0));
        } else {
            query.replyTo().tell(new NodeProtocol.Status(self.index(), loading ? "LOADING" : replica.role().name(),
                    replica.leaderHint(), replica.ballot(), replica.commitIndex(), machine.appliedSlot(), failed,
                    replica.contactedMembers(), machine.lockCount(), machine.txns().size()));
        }
        return this;
    }

    private Behavior<NodeMessage> onGetViews(NodeProtocol.GetViews query) {
        query.replyTo().tell(new NodeProtocol.Views(self.index(), List.copyOf(views)));
        return this;
    }
}
