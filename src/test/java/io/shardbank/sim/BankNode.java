package io.shardbank.sim;

import io.shardbank.model.ClusterId;
import io.shardbank.model.RequestId;
import io.shardbank.model.ShardMap;
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
import io.shardbank.shard.ShardStateMachine;
import io.shardbank.sim.SimMessage.BankReply;
import io.shardbank.sim.SimMessage.BankRequest;
import io.shardbank.sim.SimMessage.BankSnapshot;
import io.shardbank.storage.Checkpoint;
import io.shardbank.txn.TwoPhaseCommit;
import io.shardbank.txn.TxnMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * The simulated host of one bank node: the same wiring of {@link PaxosReplica},
 * {@link ShardStateMachine} and {@link TwoPhaseCommit} as the real NodeActor, method for method
 * (admission, the pending queue and batching, persist-then-send with group commit, applying and
 * answering, coordination, leadership changes, checkpoints and snapshots), over a simulated
 * network and disk. Only the transport, the disk and the clock differ; test-only seams plant the
 * bugs of {@link Mutation} and kill the node at the named {@link CrashPoint}s.
 */
final class BankNode implements SimNetwork.Endpoint {

    /** Places in the two-phase-commit paths where a node may be made to die. */
    enum CrashPoint {
        /** The coordinator's leader, right after its own TxnPrepared is applied. */
        COORDINATOR_PREPARED,
        /** The coordinator's leader, right after its TxnDecided is applied (before the fan-out). */
        COORDINATOR_DECIDED,
        /** The coordinator's leader, after sending the decision to some participants only. */
        DECISION_FAN_OUT,
        /** A participant's leader, after its TxnPrepared is applied and its vote sent. */
        PARTICIPANT_PREPARED
    }

    /** Kills the node at a crash point: the simulation takes it down and restarts it later. */
    interface Reaper {
        /** Returns whether the node was killed (crash points are off once faults stop). */
        boolean kill(BankNode node, CrashPoint point);
    }

    /** Unwinds the stack of a node that died in the middle of a step. */
    static final class Crashed extends RuntimeException {
        Crashed() {
            super(null, null, false, false);
        }
    }

    final int id;
    final int cluster;
    final List<Integer> members;
    private final BankConfig config;
    private final ShardMap shardMap;
    private final IntFunction<List<Integer>> nodesOfCluster;
    private final EventQueue queue;
    private final SimNetwork network;
    private final SplittableRandom random;
    private final Trace trace;
    private final SimStats stats;
    private final BankChecker checker;
    private final VoteLedger votes;
    private final Reaper reaper;
    private final BankDisk disk;

    private boolean up;
    private int incarnation;
    private PaxosReplica replica;
    private ShardStateMachine machine;
    private TwoPhaseCommit twoPhaseCommit;

    private final ArrayDeque<LogCommand> pending = new ArrayDeque<>();
    private final Map<RequestId, Integer> waiting = new LinkedHashMap<>();

    // Group commit: one write in flight; what arrives meanwhile merges into the open batch.
    private BankDisk.Batch openBatch = new BankDisk.Batch();
    private List<Ready.Outbound> openAfterPersist = new ArrayList<>();
    private List<Ready.Outbound> inFlightAfterPersist = List.of();
    private long inFlightCompaction;
    private boolean writing;
    private long lastCheckpointSlot;
    /** The last slot this node re-proposed when it became leader: two-phase commit leads once the shard applied it. */
    private long viewEndSlot;

    BankNode(int id, int cluster, List<Integer> members, BankConfig config, ShardMap shardMap,
            IntFunction<List<Integer>> nodesOfCluster, EventQueue queue, SimNetwork network, SplittableRandom random,
            Trace trace, SimStats stats, BankChecker checker, VoteLedger votes, Reaper reaper) {
        this.id = id;
        this.cluster = cluster;
        this.members = members;
        this.config = config;
        this.shardMap = shardMap;
        this.nodesOfCluster = nodesOfCluster;
        this.queue = queue;
        this.network = network;
        this.random = random;
        this.trace = trace;
        this.stats = stats;
        this.checker = checker;
        this.votes = votes;
        this.reaper = reaper;
        this.disk = new BankDisk(queue, random.split(), config.fsyncMaxMs());
    }

    boolean isUp() {
        return up;
    }

    PaxosReplica replica() {
        return replica;
    }

    ShardStateMachine machine() {
        return machine;
    }

    TwoPhaseCommit twoPhaseCommit() {
        return twoPhaseCommit;
    }

    int pendingCount() {
        return pending.size();
    }

    // ---------------------------------------------------------------- start, crash, restart

    /**
     * Starts (or restarts) from what the disk holds, as NodeActor.onStateLoaded does; with
     * {@code bootstrap}, as after a flush: the cluster's first node leads at once.
     */
    void start(boolean bootstrap) {
        up = true;
        int started = ++incarnation;
        BankDisk.Stored state = disk.load();
        votes.checkRestart(id, state.paxos(), checker::fail);
        machine = new ShardStateMachine(new ClusterId(cluster), shardMap, config.initialBalance(),
                config.dedupWindowPerClient());
        machine.restore(state.appliedSlot(), state.balances(), state.sessions());
        lastCheckpointSlot = state.appliedSlot();
        replica = new PaxosReplica(id, members, config.paxos(), new SplittableRandom(random.nextLong()), state.paxos(),
                queue.now());
        checker.restored(this, machine);
        replayChosen();
        twoPhaseCommit = new TwoPhaseCommit(cluster, id, config.txn(), nodesOfCluster);
        trace.record(queue.now(), bootstrap ? "bootstrap" : "restart", id, 0, "applied=" + machine.appliedSlot()
                + " commit=" + replica.commitIndex() + " promised=" + replica.promised());
        if (bootstrap) {
            replica.bootstrap(new Ballot(1, members.get(0)));
        }
        guarded(() -> process(replica.drainReady()));
        queue.after(1 + random.nextLong(config.tickMs()), () -> tickLoop(started));
    }

    /** At start: apply the chosen slots that follow the last checkpoint. */
    private void replayChosen() {
        for (long slot = machine.appliedSlot() + 1; slot <= replica.commitIndex(); slot++) {
            SlotValue entry = replica.entry(slot);
            if (entry == null) {
                checker.fail("n%d restarts with commit index %d but lost chosen slot %d", id, replica.commitIndex(),
                        slot);
            }
            byte[] value = hostValue(entry.slot(), entry.value());
            checker.applied(this, slot, value, machine.apply(slot, value), machine);
        }
    }

    /** The process dies: memory and the write under way are gone. */
    void crash() {
        trace.record(queue.now(), "crash", id, 0, replica == null ? "" : replica.role());
        up = false;
        incarnation++;
        disk.crash();
        replica = null;
        machine = null;
        twoPhaseCommit = null;
        pending.clear();
        waiting.clear();
        openBatch = new BankDisk.Batch();
        openAfterPersist = new ArrayList<>();
        inFlightAfterPersist = List.of();
        inFlightCompaction = 0;
        writing = false;
    }

    private void tickLoop(int started) {
        if (!up || incarnation != started) {
            return;
        }
        guarded(this::onTick);
        if (up && incarnation == started) {
            queue.after(config.tickMs(), () -> tickLoop(started));
        }
    }

    /** Runs one step; a crash point inside it ends the step (the node is gone). */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (Crashed crashed) {
            // the simulation has taken the node down and will restart it
        }
    }

    private void crashPoint(CrashPoint point) {
        if (config.crashPointRate() > 0 && random.nextDouble() < config.crashPointRate() && reaper.kill(this, point)) {
            throw new Crashed();
        }
    }

    // ---------------------------------------------------------------- inputs

    @Override
    public void receive(int from, Object message) {
        if (!up) {
            return;
        }
        if (message instanceof PaxosMessage paxos) {
            guarded(() -> onPaxos(paxos));
        } else if (message instanceof TxnMessage txn) {
            guarded(() -> onTxnMessage(txn));
        } else if (message instanceof BankRequest request) {
            guarded(() -> onClientRequest(from, request));
        } else if (message instanceof BankSnapshot snapshot) {
            guarded(() -> onInstallSnapshot(snapshot));
        }
    }

    private void onPaxos(PaxosMessage message) {
        replica.onMessage(message);
        process(replica.drainReady());
    }

    private void onTick() {
        long now = queue.now();
        replica.tick(now);
        process(replica.drainReady());
        twoPhaseCommit.onLeadership(leadsTwoPhaseCommit(), replica.leaderHint(), machine, now);
        twoPhaseCommit.tick(now);
        carryOutTwoPhaseCommit();
    }

    private void onTxnMessage(TxnMessage message) {
        twoPhaseCommit.onMessage(message, machine, replica.isLeader() && replica.hasQuorumContact(), queue.now());
        carryOutTwoPhaseCommit();
    }

    /** Sends what two-phase commit asks to send, and queues what it asks to log. */
    private void carryOutTwoPhaseCommit() {
        List<TwoPhaseCommit.Effect> effects = twoPhaseCommit.drainEffects();
        if (effects.isEmpty()) {
            return;
        }
        int decisionsLeft = (int) effects.stream()
                .filter(e -> e instanceof TwoPhaseCommit.Send send && send.message() instanceof TxnMessage.TxnDecision)
                .count();
        for (TwoPhaseCommit.Effect effect : effects) {
            if (effect instanceof TwoPhaseCommit.Send send) {
                network.send(id, send.node(), send.message());
                if (send.message() instanceof TxnMessage.TxnDecision && --decisionsLeft > 0) {
                    crashPoint(CrashPoint.DECISION_FAN_OUT);
                }
            } else if (replica.isLeader()) {
                pending.add(((TwoPhaseCommit.Propose) effect).command());
            }
        }
        proposeWhatFits();
    }

    private void onClientRequest(int client, BankRequest request) {
        List<Outcome> immediate = new ArrayList<>();
        for (Operation operation : request.operations()) {
            Outcome answer = admit(client, request.clientId(), operation);
            if (answer != null) {
                immediate.add(answer);
            }
        }
        if (!immediate.isEmpty()) {
            network.send(id, client, new BankReply(id, replica.leaderHint(), request.clientId(), immediate));
        }
        carryOutTwoPhaseCommit();
        proposeWhatFits();
    }

    /** Queues an operation for a slot, or returns the answer it gets at once. */
    private Outcome admit(int client, long clientId, Operation operation) {
        if (!replica.isLeader()) {
            return Outcome.notLeader(operation.sequence());
        }
        Outcome rejection = machine.validate(operation);
        if (rejection != null) {
            return rejection;
        }
        if (!replica.hasQuorumContact()) {
            return Outcome.unavailable(operation.sequence(), "cluster c" + cluster + " has no majority: its leader n"
                    + id + " is in touch with " + replica.contactedMembers() + " only");
        }
        if (pending.size() >= config.pendingOperationsMax()) {
            return Outcome.unavailable(operation.sequence(), "overloaded: " + pending.size() + " operations queued at n"
                    + id);
        }
        RequestId requestId = new RequestId(clientId, operation.sequence());
        if (machine.isLocal(operation)) {
            if (waiting.put(requestId, client) != null) {
                return null; // a retry of an operation queued or proposed here: answered when it applies
            }
            pending.add(new LoggedOperation(clientId, operation));
            return null;
        }
        return coordinate(requestId, operation, client);
    }

    /** Starts (or joins) the two-phase commit of an operation that spans clusters. */
    private Outcome coordinate(RequestId requestId, Operation operation, int client) {
        boolean dedup = config.mutation() != Mutation.NO_TXN_DEDUP;
        if (dedup && machine.txn(requestId) != null) {
            waiting.put(requestId, client); // under way: answered when it ends
            return null;
        }
        Outcome known = dedup ? machine.outcomeOf(requestId) : null;
        if (known != null) {
            return known; // a retry of a finished transaction
        }
        waiting.put(requestId, client);
        List<Integer> participants = machine.participantsOf(operation);
        Map<Integer, List<ItemDelta>> deltas = new HashMap<>();
        deltas.put(cluster, machine.deltasFor(operation, cluster));
        participants.forEach(c -> deltas.put(c, machine.deltasFor(operation, c)));
        twoPhaseCommit.coordinate(requestId, participants, deltas);
        return null;
    }

    /** Starts as many slots as the pipeline allows, each with as many queued operations as fit. */
    private void proposeWhatFits() {
        if (!pending.isEmpty() && replica.isLeader() && !replica.hasQuorumContact()) {
            failPending(Outcome.Status.UNAVAILABLE, "cluster c" + cluster + " lost its majority: its leader n" + id
                    + " is in touch with " + replica.contactedMembers() + " only");
        }
        while (!pending.isEmpty() && replica.canPropose()) {
            int size = Math.min(pending.size(), config.batchOperationsMax());
            List<LogCommand> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(pending.poll());
            }
            long slot = replica.propose(BatchCodec.encode(batch));
            stats.proposals++;
            trace.record(queue.now(), "propose", id, 0, "slot " + slot + " " + batch);
        }
        process(replica.drainReady());
    }

    private void onInstallSnapshot(BankSnapshot snapshot) {
        if (snapshot.slot() <= replica.commitIndex() || replica.isLeader()) {
            return;
        }
        machine.restore(snapshot.slot(), snapshot.balances(), snapshot.sessions());
        replica.installSnapshot(snapshot.slot());
        lastCheckpointSlot = snapshot.slot();
        openBatch.checkpoint(new Checkpoint(snapshot.slot(), snapshot.balances(), true, snapshot.sessions(),
                snapshot.slot()));
        stats.snapshotsInstalled++;
        trace.record(queue.now(), "install", snapshot.from(), id, "snapshot at slot " + snapshot.slot());
        checker.restored(this, machine);
        process(replica.drainReady());
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
        for (SlotValue entry : ready.committed) {
            checker.chosen(this, entry);
        }
        apply(ready.committed);
        for (PaxosMessage.NewView view : ready.views) {
            if (view.from() == id) {
                viewEndSlot = view.entries().isEmpty() ? view.commitIndex()
                        : view.entries().get(view.entries().size() - 1).slot();
                stats.elections++;
                trace.record(queue.now(), "leads", id, 0, view.ballot() + " re-proposes " + view.entries().size());
            }
        }
        ready.snapshotRequests.forEach(this::sendSnapshot);
        if (ready.leadershipChanged) {
            onLeadershipChanged();
        }
        flushWrites();
        if (!mustWait) {
            send(afterPersist);
        }
    }

    private void onLeadershipChanged() {
        twoPhaseCommit.onLeadership(leadsTwoPhaseCommit(), replica.leaderHint(), machine, queue.now());
        if (!replica.isLeader()) {
            failQueued("n" + id + " is no longer the leader");
        }
        carryOutTwoPhaseCommit(); // a new leader's recovery steps belong to this term, not to a later one
    }

    /**
     * Two-phase commit takes over as leader only once the shard has applied every slot the new
     * leader re-proposed: a decision of the former leader may be among them, and recovery must not
     * abort a transaction whose commit is already in the log.
     */
    private boolean leadsTwoPhaseCommit() {
        return replica.isLeader() && machine.appliedSlot() >= viewEndSlot;
    }

    private void send(List<Ready.Outbound> messages) {
        for (Ready.Outbound out : messages) {
            if (out.to() == id) {
                replica.onMessage(out.message());
                process(replica.drainReady());
            } else {
                network.send(id, out.to(), out.message());
            }
        }
    }

    private void flushWrites() {
        if (writing || (openBatch.isEmpty() && openAfterPersist.isEmpty())) {
            return;
        }
        writing = true;
        inFlightAfterPersist = openAfterPersist;
        inFlightCompaction = openBatch.compactThrough();
        int started = incarnation;
        disk.write(openBatch, () -> {
            if (up && incarnation == started) {
                guarded(this::onWriteDone);
            }
        });
        openBatch = new BankDisk.Batch();
        openAfterPersist = new ArrayList<>();
    }

    private void onWriteDone() {
        writing = false;
        List<Ready.Outbound> release = inFlightAfterPersist;
        inFlightAfterPersist = List.of();
        if (inFlightCompaction > 0) {
            replica.compactThrough(Math.min(inFlightCompaction, replica.commitIndex()));
        }
        send(release);
        flushWrites();
        proposeWhatFits();
    }

    private void apply(List<SlotValue> committed) {
        if (committed.isEmpty()) {
            return;
        }
        Map<Integer, Map<Long, List<Outcome>>> replies = new LinkedHashMap<>();
        long now = queue.now();
        List<CrashPoint> after = new ArrayList<>();
        for (SlotValue entry : committed) {
            byte[] value = hostValue(entry.slot(), entry.value());
            List<ShardStateMachine.Applied> effects = machine.apply(entry.slot(), value);
            checker.applied(this, entry.slot(), value, effects, machine);
            for (ShardStateMachine.Applied applied : effects) {
                if (applied instanceof ShardStateMachine.ClientOutcome result) {
                    Integer client = waiting.remove(new RequestId(result.clientId(), result.outcome().sequence()));
                    if (client != null) {
                        addReply(replies, client, result.clientId(), result.outcome());
                    }
                } else {
                    beforeTwoPhaseCommit(applied, after);
                    twoPhaseCommit.onApplied(applied, now);
                }
            }
        }
        sendReplies(replies);
        maybeCheckpoint();
        carryOutTwoPhaseCommit();
        for (CrashPoint point : after) {
            crashPoint(point);
        }
    }

    private void maybeCheckpoint() {
        long applied = machine.appliedSlot();
        if (applied - lastCheckpointSlot < config.checkpointIntervalSlots()) {
            return;
        }
        lastCheckpointSlot = applied;
        long compactThrough = Math.max(0, applied - config.logRetainSlots());
        openBatch.checkpoint(new Checkpoint(applied, machine.takeDirtyBalances(), false, machine.encodeSessions(),
                compactThrough));
    }

    private void sendSnapshot(int to) {
        network.send(id, to, new BankSnapshot(id, machine.appliedSlot(), machine.allBalances(),
                machine.encodeSessions()));
    }

    /**
     * Answers every queued and proposed operation with NOT_LEADER: the client retries at the leader
     * hint with the same request id, and the dedup table gives it the real outcome of one that did
     * get chosen.
     */
    private void failQueued(String reason) {
        Map<Integer, Map<Long, List<Outcome>>> replies = new LinkedHashMap<>();
        waiting.forEach((requestId, client) -> addReply(replies, client, requestId.clientId(),
                new Outcome(requestId.sequence(), Outcome.Status.NOT_LEADER, reason, 0)));
        waiting.clear();
        pending.clear();
        sendReplies(replies);
    }

    /**
     * Answers the queued client operations that no slot holds yet; they can never run. Queued
     * two-phase-commit steps stay: the engine counts them as proposed and would never ask again.
     */
    private void failPending(Outcome.Status status, String reason) {
        Map<Integer, Map<Long, List<Outcome>>> replies = new LinkedHashMap<>();
        for (Iterator<LogCommand> queued = pending.iterator(); queued.hasNext(); ) {
            if (queued.next() instanceof LoggedOperation operation) {
                queued.remove();
                Integer client = waiting.remove(operation.requestId());
                if (client != null) {
                    addReply(replies, client, operation.clientId(),
                            new Outcome(operation.operation().sequence(), status, reason, 0));
                }
            }
        }
        sendReplies(replies);
    }

    private static void addReply(Map<Integer, Map<Long, List<Outcome>>> replies, int client, long clientId,
            Outcome outcome) {
        replies.computeIfAbsent(client, c -> new LinkedHashMap<>())
                .computeIfAbsent(clientId, c -> new ArrayList<>())
                .add(outcome);
    }

    private void sendReplies(Map<Integer, Map<Long, List<Outcome>>> replies) {
        int hint = replica == null ? 0 : replica.leaderHint();
        replies.forEach((client, byClient) -> byClient.forEach((clientId, outcomes) ->
                network.send(id, client, new BankReply(id, hint, clientId, outcomes))));
    }

    // ---------------------------------------------------------------- crash points and planted bugs

    /** Crash points and planted bugs that act on an applied two-phase-commit step. */
    private void beforeTwoPhaseCommit(ShardStateMachine.Applied applied, List<CrashPoint> after) {
        if (!replica.isLeader()) {
            return;
        }
        if (applied instanceof ShardStateMachine.VoteLogged voted) {
            if (voted.record().coordinatedBy(cluster)) {
                crashPoint(CrashPoint.COORDINATOR_PREPARED);
                if (config.mutation() == Mutation.COMMIT_AFTER_OWN_VOTE && voted.record().votedYes()) {
                    pending.add(new LogCommand.TxnDecided(voted.record().txn(), Outcome.Status.COMMITTED, ""));
                }
            } else if (voted.record().votedYes()) {
                after.add(CrashPoint.PARTICIPANT_PREPARED);
            }
        } else if (applied instanceof ShardStateMachine.DecisionApplied decided
                && decided.record() != null && decided.record().coordinatedBy(cluster)) {
            crashPoint(CrashPoint.COORDINATOR_DECIDED);
        }
    }

    /**
     * The value the host hands its state machine for a chosen slot: the chosen value itself, except
     * under {@link Mutation#RELEASE_LOCKS_AT_PREPARE}, where every prepare this cluster votes yes on
     * as a participant is followed by a commit of the host's own making (tried out on a scratch
     * copy of the shard first, so that only prepares that lock something are altered).
     */
    private byte[] hostValue(long slot, byte[] chosen) {
        if (config.mutation() != Mutation.RELEASE_LOCKS_AT_PREPARE || chosen.length == 0) {
            return chosen;
        }
        ShardStateMachine scratch = new ShardStateMachine(new ClusterId(cluster), shardMap, config.initialBalance(),
                config.dedupWindowPerClient());
        scratch.restore(machine.appliedSlot(), machine.allBalances(), machine.encodeSessions());
        List<RequestId> prepared = new ArrayList<>();
        for (ShardStateMachine.Applied applied : scratch.apply(slot, chosen)) {
            if (applied instanceof ShardStateMachine.VoteLogged voted && voted.record().votedYes()
                    && !voted.record().coordinatedBy(cluster)) {
                prepared.add(voted.record().txn());
            }
        }
        if (prepared.isEmpty()) {
            return chosen;
        }
        List<LogCommand> altered = new ArrayList<>();
        for (LogCommand command : BatchCodec.decode(chosen)) {
            altered.add(command);
            if (command instanceof LogCommand.TxnPrepared prepare && prepared.remove(prepare.txn())) {
                altered.add(new LogCommand.TxnDecided(prepare.txn(), Outcome.Status.COMMITTED, ""));
            }
        }
        return BatchCodec.encode(altered);
    }
}
