package io.shardbank.sim;

import io.shardbank.node.ReadyExecutor;
import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.DurableState;
import io.shardbank.paxos.PaxosMessage;
import io.shardbank.paxos.PaxosMessage.Promise;
import io.shardbank.paxos.PaxosReplica;
import io.shardbank.paxos.Ready;
import io.shardbank.paxos.SlotValue;
import io.shardbank.sim.SimMessage.ClientApplied;
import io.shardbank.sim.SimMessage.ClientRequest;
import io.shardbank.sim.SimMessage.NotLeader;
import io.shardbank.sim.SimMessage.Overloaded;
import io.shardbank.sim.SimMessage.SnapshotTransfer;
import io.shardbank.storage.WriteBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The host of one simulated node: it owns a {@link PaxosReplica}, a {@link SimDisk} and a
 * {@link KvStateMachine}, and hands each {@link Ready} to the product's {@link ReadyExecutor}, which
 * sends, persists with group commit, sends what waited for the disk and loops messages to itself
 * back; the node's part is to apply what was chosen and ship snapshots. As leader it queues client
 * commands and proposes them in batches whenever the replica can take another slot. Planted Paxos
 * bugs go in where the executor receives a Ready and where a message reaches the replica.
 */
final class SimNode implements SimNetwork.Endpoint, SimRun.Host, ReadyExecutor.Node {

    final int id;
    final List<Integer> members;
    private final SimConfig config;
    private final EventQueue queue;
    private final SimNetwork network;
    private final SplittableRandom random;
    private final Trace trace;
    private final SimStats stats;
    private final ClusterChecker checker;
    private final SimDisk disk;
    private final VoteLedger votes;

    private boolean up;
    private int incarnation;
    private PaxosReplica replica;
    private ReadyExecutor executor;
    private KvStateMachine state;
    private long committedSeen;
    private long lastSnapshotSlot;

    // Leader side of client traffic.
    private final ArrayDeque<Command> queued = new ArrayDeque<>();
    private final Set<Command.Id> queuedOrProposed = new HashSet<>();
    private final Map<Command.Id, Integer> waiting = new LinkedHashMap<>();

    SimNode(int id, List<Integer> members, SimConfig config, EventQueue queue, SimNetwork network,
            SplittableRandom random, Trace trace, SimStats stats, ClusterChecker checker, VoteLedger votes) {
        this.id = id;
        this.members = members;
        this.config = config;
        this.queue = queue;
        this.network = network;
        this.random = random;
        this.trace = trace;
        this.stats = stats;
        this.checker = checker;
        this.disk = new SimDisk(queue, random, config.fsyncMaxMs());
        this.votes = votes;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public boolean isUp() {
        return up;
    }

    @Override
    public PaxosReplica replica() {
        return replica;
    }

    KvStateMachine state() {
        return state;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Starts (or restarts) the node from what its disk holds. */
    @Override
    public void start(boolean bootstrap) {
        up = true;
        incarnation++;
        DurableState durable = disk.load();
        votes.checkRestart(id, durable, checker::fail);
        replica = new PaxosReplica(id, members, config.paxos(), new SplittableRandom(random.nextLong()), durable,
                queue.now());
        executor = new ReadyExecutor(id, this);
        KvStateMachine.Snapshot snapshot = disk.snapshot();
        state = snapshot == null ? newStateMachine() : KvStateMachine.restore(snapshot, dedup());
        lastSnapshotSlot = state.slot();
        for (long slot = state.slot() + 1; slot <= durable.commitIndex(); slot++) {
            SlotValue entry = disk.entry(slot);
            if (entry == null) {
                checker.fail("n%d restarts with commit index %d but no durable value for slot %d", id,
                        durable.commitIndex(), slot);
            }
            checker.committed(id, entry);
            apply(entry, false);
        }
        committedSeen = durable.commitIndex();
        checker.keepsAcknowledged(id, state);
        trace.record(queue.now(), bootstrap ? "bootstrap" : "restart", id, 0,
                "commit=" + durable.commitIndex() + " promised=" + durable.promised());
        if (bootstrap) {
            replica.bootstrap(new Ballot(1, id));
            process();
        }
        int started = incarnation;
        queue.after(1 + random.nextLong(config.tickMs()), () -> tickLoop(started));
    }

    /** The process dies: memory and unsynced writes are gone. */
    @Override
    public void crash() {
        trace.record(queue.now(), "crash", id, 0, replica == null ? "" : replica.role());
        up = false;
        incarnation++;
        disk.crash();
        replica = null;
        executor = null;
        queued.clear();
        queuedOrProposed.clear();
        waiting.clear();
    }

    private void tickLoop(int started) {
        if (!up || incarnation != started) {
            return;
        }
        replica.tick(queue.now());
        process();
        proposeQueued();
        queue.after(config.tickMs(), () -> tickLoop(started));
    }

    // ---------------------------------------------------------------- inputs

    @Override
    public void receive(int from, Object message) {
        if (!up) {
            return;
        }
        if (message instanceof PaxosMessage paxos) {
            replica.onMessage(incoming(paxos));
            process();
            proposeQueued();
        } else if (message instanceof ClientRequest request) {
            onClientRequest(from, request.command());
        } else if (message instanceof SnapshotTransfer transfer) {
            onSnapshot(transfer.snapshot());
        }
    }

    private void onClientRequest(int client, Command command) {
        Command.Id commandId = command.id();
        if (!replica.isLeader()) {
            network.send(id, client, new NotLeader(commandId, replica.leaderHint()));
            return;
        }
        if (state.isApplied(commandId)) {
            network.send(id, client, new ClientApplied(commandId));
            return;
        }
        if (!queuedOrProposed.contains(commandId)) {
            if (queued.size() >= config.queueMax()) {
                network.send(id, client, new Overloaded(commandId));
                return;
            }
            queuedOrProposed.add(commandId);
            queued.add(command);
        }
        waiting.put(commandId, client);
        proposeQueued();
    }

    /**
     * Installs a leader's snapshot as the product's node does: the state at once, the snapshot
     * written ahead of the commit index the replica then asks to persist (the disk keeps order).
     */
    private void onSnapshot(KvStateMachine.Snapshot snapshot) {
        if (snapshot.slot() <= replica.commitIndex()) {
            return;
        }
        replica.installSnapshot(snapshot.slot());
        stats.snapshotsInstalled++;
        trace.record(queue.now(), "install", id, 0, snapshot);
        committedSeen = snapshot.slot();
        state = KvStateMachine.restore(snapshot, dedup());
        lastSnapshotSlot = snapshot.slot();
        checker.reached(id, snapshot.slot(), state.digest());
        checker.keepsAcknowledged(id, state);
        disk.submit(new SimDisk.Write(null, List.of(), -1, snapshot, snapshot.slot(), () -> { }));
        process();
    }

    private void proposeQueued() {
        while (up && replica.canPropose() && !queued.isEmpty()) {
            List<Command> batch = new ArrayList<>();
            while (batch.size() < config.batchSizeMax() && !queued.isEmpty()) {
                batch.add(queued.poll());
            }
            long slot = replica.propose(Command.encodeBatch(batch));
            stats.proposals++;
            trace.record(queue.now(), "propose", id, 0, "slot " + slot + " " + batch);
            process();
        }
    }

    // ---------------------------------------------------------------- the replica's Ready

    /** Hands what the replica asks for to the product's executor, which persists, sends and loops back. */
    private void process() {
        while (up) {
            Ready ready = drainReady();
            if (ready.isEmpty()) {
                return;
            }
            executor.carryOut(ready);
        }
    }

    private Ready drainReady() {
        Ready ready = replica.drainReady();
        plantBugs(ready);
        return ready;
    }

    // What the executor asks of this node (ReadyExecutor.Node).

    @Override
    public void send(int node, PaxosMessage message) {
        network.send(id, node, message);
    }

    @Override
    public void write(WriteBatch batch) {
        int started = incarnation; // a crash drops the write, and a write of a dead incarnation never reports back
        disk.submit(new SimDisk.Write(batch.promised(), batch.accepted(), batch.commitIndex(), null, 0,
                () -> onWriteDone(started)));
    }

    @Override
    public Ready deliverToSelf(PaxosMessage message) {
        replica.onMessage(incoming(message));
        return drainReady();
    }

    @Override
    public void compactThrough(long slot) {
        // Snapshots are written apart from the executor's batches (see maybeSnapshot).
    }

    private void onWriteDone(int started) {
        if (!up || incarnation != started) {
            return;
        }
        executor.onWriteDone();
        process();
        proposeQueued();
        maybeSnapshot();
    }

    @Override
    public void carryOutLocally(Ready ready) {
        for (PaxosMessage.NewView view : ready.views) {
            if (view.from() == id) {
                stats.elections++;
                trace.record(queue.now(), "leads", id, 0, view.ballot() + " re-proposes " + view.entries());
            }
        }
        if (ready.leadershipChanged) {
            onLeadershipChanged();
        }
        for (SlotValue entry : ready.committed) {
            if (entry.slot() != committedSeen + 1) {
                checker.fail("n%d reported slot %d committed after slot %d", id, entry.slot(), committedSeen);
            }
            committedSeen = entry.slot();
            checker.committed(id, entry);
            apply(entry, true);
        }
        for (int requester : ready.snapshotRequests) {
            KvStateMachine.Snapshot snapshot = disk.snapshot();
            if (snapshot != null) {
                network.send(id, requester, new SnapshotTransfer(snapshot));
            }
        }
    }

    private void onLeadershipChanged() {
        if (replica.isLeader()) {
            return;
        }
        for (Map.Entry<Command.Id, Integer> entry : waiting.entrySet()) {
            network.send(id, entry.getValue(), new NotLeader(entry.getKey(), replica.leaderHint()));
        }
        waiting.clear();
        queued.clear();
        queuedOrProposed.clear();
    }

    // ---------------------------------------------------------------- state machine

    private void apply(SlotValue entry, boolean live) {
        if (entry.slot() <= state.slot()) {
            return; // covered by an installed snapshot
        }
        if (entry.slot() != state.slot() + 1) {
            checker.fail("n%d applies slot %d after slot %d", id, entry.slot(), state.slot());
        }
        state.beginSlot(entry.slot());
        for (Command command : Command.decodeBatch(entry.value())) {
            KvStateMachine.Effect effect = state.apply(command);
            checker.applied(id, command.id(), entry.slot(), effect);
            queuedOrProposed.remove(command.id());
            Integer client = live ? waiting.remove(command.id()) : null;
            if (client != null) {
                network.send(id, client, new ClientApplied(command.id()));
            }
        }
        checker.reached(id, entry.slot(), state.digest());
    }

    /** Every few slots the node makes its state durable and lets the replica drop older log entries. */
    private void maybeSnapshot() {
        if (state.slot() - lastSnapshotSlot < config.snapshotEverySlots()) {
            return;
        }
        KvStateMachine.Snapshot snapshot = state.snapshot();
        lastSnapshotSlot = snapshot.slot();
        long compactThrough = Math.max(0, snapshot.slot() - config.snapshotRetainSlots());
        int started = incarnation;
        disk.submit(new SimDisk.Write(null, List.of(), -1, snapshot, compactThrough, () -> {
            if (up && incarnation == started && compactThrough > replica.compactedThrough()
                    && compactThrough <= replica.commitIndex()) {
                replica.compactThrough(compactThrough);
            }
        }));
    }

    private KvStateMachine newStateMachine() {
        return new KvStateMachine(dedup());
    }

    private boolean dedup() {
        return config.mutation() != Mutation.NO_DEDUP;
    }

    // ---------------------------------------------------------------- planted bugs

    private void plantBugs(Ready ready) {
        if (config.mutation() != Mutation.PROMISE_BEFORE_DURABLE) {
            return;
        }
        for (Iterator<Ready.Outbound> it = ready.sendAfterPersist.iterator(); it.hasNext(); ) {
            Ready.Outbound out = it.next();
            if (out.to() != id && out.message() instanceof Promise) {
                it.remove();
                ready.sendNow.add(out);
            }
        }
    }

    private PaxosMessage incoming(PaxosMessage message) {
        if (config.mutation() != Mutation.SKIP_REPROPOSAL || !(message instanceof Promise promise)) {
            return message;
        }
        List<SlotValue> noops = new ArrayList<>();
        for (SlotValue entry : promise.accepted()) {
            noops.add(new SlotValue(entry.slot(), entry.ballot(), SlotValue.NOOP));
        }
        return new Promise(promise.from(), promise.ballot(), promise.commitIndex(), promise.compactedThrough(), noops);
    }
}
