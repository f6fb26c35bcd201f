package io.shardbank.sim;

import io.shardbank.model.ClusterId;
import io.shardbank.model.NodeMessage;
import io.shardbank.model.ShardMap;
import io.shardbank.node.FailPoint;
import io.shardbank.node.NodeCore;
import io.shardbank.node.NodeProtocol;
import io.shardbank.node.NodeProtocol.ClientReply;
import io.shardbank.node.NodeProtocol.InstallSnapshot;
import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.PaxosMessage;
import io.shardbank.paxos.PaxosReplica;
import io.shardbank.paxos.SlotValue;
import io.shardbank.shard.BatchCodec;
import io.shardbank.shard.ShardStateMachine;
import io.shardbank.sim.SimMessage.BankRequest;
import io.shardbank.storage.StoredState;
import io.shardbank.storage.WriteBatch;
import io.shardbank.txn.TxnMessage;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * The simulated host of one bank node: the production {@link NodeCore} over a simulated network,
 * disk and clock, as NodeActor hosts it over Pekko and SQLite. It feeds the core messages, ticks
 * and finished writes, carries out what the core asks, reports to the checker what the core shows
 * it, kills the node at {@link FailPoint}s, and gives the core a {@link PlantedBugShard} when the
 * run plants a two-phase-commit bug.
 */
final class BankNode implements SimNetwork.Endpoint, SimRun.Host, NodeCore.Host<Integer>, NodeCore.Observer {

    /** Kills the node at a fail point: the simulation takes it down and restarts it later. */
    interface Reaper {
        /** Returns whether the node was killed (fail points are off once faults stop). */
        boolean kill(BankNode node, FailPoint point);
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
    private final NodeCore.Config coreConfig;
    private final ShardMap shardMap;
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
    private NodeCore<Integer> core;

    BankNode(int id, int cluster, List<Integer> members, BankConfig config, ShardMap shardMap,
            IntFunction<List<Integer>> nodesOfCluster, EventQueue queue, SimNetwork network, SplittableRandom random,
            Trace trace, SimStats stats, BankChecker checker, VoteLedger votes, Reaper reaper) {
        this.id = id;
        this.cluster = cluster;
        this.members = members;
        this.config = config;
        this.coreConfig = new NodeCore.Config(id, cluster, members, nodesOfCluster, config.paxos(), config.txn(),
                config.batchOperationsMax(), config.pendingOperationsMax(), config.checkpointIntervalSlots(),
                config.logRetainSlots());
        this.shardMap = shardMap;
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
        return core.replica();
    }

    ShardStateMachine machine() {
        return core.machine();
    }

    NodeProtocol.Status status() {
        return core.status(false);
    }

    int pendingCount() {
        return core.pendingCount();
    }

    // ---------------------------------------------------------------- start, crash, restart

    /**
     * Starts (or restarts) from what the disk holds, as NodeActor does once its state is loaded;
     * with {@code bootstrap}, as after a flush: the cluster's first node leads at once.
     */
    @Override
    public void start(boolean bootstrap) {
        up = true;
        int started = ++incarnation;
        StoredState state = disk.load();
        votes.checkRestart(id, state.paxos(), checker::fail);
        core = new NodeCore<>(coreConfig, newMachine(), state, new SplittableRandom(random.nextLong()), queue.now(),
                this, this);
        trace.record(queue.now(), bootstrap ? "bootstrap" : "restart", id, 0, "applied="
                + core.machine().appliedSlot() + " commit=" + core.replica().commitIndex() + " promised="
                + core.replica().promised());
        guarded(() -> core.start(bootstrap ? new Ballot(1, members.get(0)) : null));
        queue.after(1 + random.nextLong(config.tickMs()), () -> tickLoop(started));
    }

    private ShardStateMachine newMachine() {
        ClusterId id = new ClusterId(cluster);
        return PlantedBugShard.plants(config.mutation())
                ? new PlantedBugShard(config.mutation(), id, shardMap, config.initialBalance(),
                        config.dedupWindowPerClient())
                : new ShardStateMachine(id, shardMap, config.initialBalance(), config.dedupWindowPerClient());
    }

    /** The process dies: memory and the write under way are gone. */
    @Override
    public void crash() {
        trace.record(queue.now(), "crash", id, 0, core == null ? "" : core.replica().role());
        up = false;
        incarnation++;
        disk.crash();
        core = null;
    }

    private void tickLoop(int started) {
        if (!up || incarnation != started) {
            return;
        }
        guarded(() -> core.onTick(queue.now()));
        if (up && incarnation == started) {
            queue.after(config.tickMs(), () -> tickLoop(started));
        }
    }

    /** Runs one step; a fail point inside it ends the step (the node is gone). */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (Crashed crashed) {
            // the simulation has taken the node down and will restart it
        }
    }

    // ---------------------------------------------------------------- inputs

    @Override
    public void receive(int from, Object message) {
        if (!up) {
            return;
        }
        long now = queue.now();
        if (message instanceof PaxosMessage paxos) {
            guarded(() -> core.onPaxos(paxos, now));
        } else if (message instanceof TxnMessage txn) {
            guarded(() -> core.onTxnMessage(txn, now));
        } else if (message instanceof BankRequest request) {
            guarded(() -> core.onClientRequest(from, request.clientId(), request.operations(), now));
        } else if (message instanceof InstallSnapshot snapshot) {
            guarded(() -> onInstallSnapshot(snapshot, now));
        }
    }

    private void onInstallSnapshot(InstallSnapshot snapshot, long now) {
        if (core.onInstallSnapshot(snapshot, now)) {
            stats.snapshotsInstalled++;
            trace.record(now, "install", snapshot.from(), id, "snapshot at slot " + snapshot.slot());
        }
    }

    // ---------------------------------------------------------------- what the core asks

    @Override
    public void send(int node, NodeMessage message) {
        network.send(id, node, message);
    }

    @Override
    public void reply(Integer client, ClientReply reply) {
        network.send(id, client, reply);
    }

    @Override
    public void write(WriteBatch batch) {
        int started = incarnation;
        disk.write(batch, () -> {
            if (up && incarnation == started) {
                guarded(() -> core.onWriteDone(queue.now()));
            }
        });
    }

    @Override
    public void leadershipChanged(boolean leading, Ballot ballot, int leaderHint) {
        if (leading) {
            stats.elections++;
        }
        trace.record(queue.now(), leading ? "leads" : "steps down", id, 0, ballot + " hint n" + leaderHint);
    }

    // ---------------------------------------------------------------- what the checker and the reaper see

    @Override
    public void chosen(SlotValue entry) {
        checker.chosen(this, entry);
        if (core.replica().isLeader()) {
            stats.proposals++;
            trace.record(queue.now(), "chosen", id, 0, "slot " + entry.slot() + " "
                    + (entry.value().length == 0 ? "no-op" : BatchCodec.decode(entry.value())));
        }
    }

    @Override
    public void applied(long slot, byte[] value, List<ShardStateMachine.Applied> effects, ShardStateMachine machine) {
        checker.applied(this, slot, value, effects, machine);
    }

    @Override
    public void restored(ShardStateMachine machine) {
        checker.restored(this, machine);
    }

    @Override
    public void reached(FailPoint point, String detail) {
        if (config.crashPointRate() > 0 && random.nextDouble() < config.crashPointRate() && reaper.kill(this, point)) {
            throw new Crashed();
        }
    }
}
