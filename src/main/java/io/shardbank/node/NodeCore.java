package io.shardbank.node;

import io.shardbank.model.Invariants;
import io.shardbank.model.NodeMessage;
import io.shardbank.model.RequestId;
import io.shardbank.node.NodeProtocol.ClientReply;
import io.shardbank.node.NodeProtocol.InstallSnapshot;
import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.PaxosMessage;
import io.shardbank.paxos.PaxosReplica;
import io.shardbank.paxos.PaxosSettings;
import io.shardbank.paxos.Ready;
import io.shardbank.paxos.SlotValue;
import io.shardbank.reshard.AccessLog;
import io.shardbank.reshard.ReshardSettings;
import io.shardbank.shard.BatchCodec;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.LogCommand;
import io.shardbank.shard.LoggedOperation;
import io.shardbank.shard.Operation;
import io.shardbank.shard.Outcome;
import io.shardbank.shard.ReadConsistency;
import io.shardbank.shard.Redirect;
import io.shardbank.shard.Route;
import io.shardbank.shard.ShardStateMachine;
import io.shardbank.storage.Checkpoint;
import io.shardbank.storage.StoredState;
import io.shardbank.storage.WriteBatch;
import io.shardbank.txn.TxnMessage;
import io.shardbank.txn.TxnSettings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

/**
 * The host logic of one node, single-threaded and free of Pekko, threads, clocks and randomness of
 * its own: it wires a {@link PaxosReplica}, a {@link ShardStateMachine}, a {@link ReadyExecutor}
 * (which carries out each {@link Ready}: send, persist with group commit, and the one loop-back of
 * messages to this node) and the {@link CrossClusterProtocols} (two-phase commit). It admits
 * client operations (validation, local reads, the bounded queue, NO_MAJORITY and NOT_LEADER
 * answers) and batches them into slots; it applies chosen slots, answering the clients of local
 * operations and handing protocol steps on; it tells the protocols when leadership changed, and
 * takes checkpoints and ships snapshots.
 *
 * <p>The real node (NodeActor) and the deterministic simulator host the same core; each input takes
 * the host's time, and every output goes through the {@link Host}.
 *
 * @param <C> how the host names a client to answer (an actor reference, a simulated address)
 */
public final class NodeCore<C> {

    /** What a core asks of its host. Calls come from inside the core's inputs, on the host's thread. */
    public interface Host<C> {

        /** Sends a Paxos, two-phase-commit or snapshot message to another node (never to this one). */
        void send(int node, NodeMessage message);

        /** Answers a client: outcomes of its operations, all of one client id. */
        void reply(C client, ClientReply reply);

        /**
         * Starts making a batch durable. The host calls {@link NodeCore#onWriteDone} once it is
         * synced, never from inside this call; the core starts no other write before that.
         */
        void write(WriteBatch batch);

        /** This node started or stopped leading its cluster (for the operator's log). */
        void leadershipChanged(boolean leading, Ballot ballot, int leaderHint);
    }

    /**
     * Test seams: what a checker watches and where a test may make the node die. Every method does
     * nothing by default, and the real node passes {@link #NONE}.
     */
    public interface Observer {

        /** Watches nothing. */
        Observer NONE = new Observer() {
        };

        /** The replica learned that a slot is chosen (before the shard applies it). */
        default void chosen(SlotValue entry) {
        }

        /** The shard applied a slot's value and produced {@code effects}; {@code machine} is its state after. */
        default void applied(long slot, byte[] value, List<ShardStateMachine.Applied> effects,
                ShardStateMachine machine) {
        }

        /** The shard was restored from a checkpoint (at start) or a snapshot. */
        default void restored(ShardStateMachine machine) {
        }

        /**
         * The node passed a named fail point, doing what {@code detail} says (it names the
         * transaction); an implementation may end the node here by throwing, or end its process.
         */
        default void reached(FailPoint point, String detail) {
        }
    }

    /**
     * What a core is made of: which node it is, its peers, and the limits it keeps.
     *
     * @param nodesOfCluster the node indexes of every cluster, by cluster index
     * @param batchOperationsMax client operations and transaction steps per slot
     * @param pendingOperationsMax queued operations past which a leader answers "overloaded"
     * @param checkpointIntervalSlots applied slots between two checkpoints of the shard
     * @param logRetainSlots chosen slots kept in the log behind a checkpoint, for lagging peers
     * @param accessLogTransactionsMax a leader keeps the item sets of this many most recent committed
     *     multi-item operations, for the reshard planner
     * @param viewsKeptMax the newest NEW-VIEW records kept for the operator's PrintView
     */
    public record Config(int self, int cluster, List<Integer> members, IntFunction<List<Integer>> nodesOfCluster,
            PaxosSettings paxos, TxnSettings txn, int batchOperationsMax, int pendingOperationsMax,
            int checkpointIntervalSlots, int logRetainSlots, int accessLogTransactionsMax, int viewsKeptMax) {

        /** The bundled default of {@code node.views-kept-max}, for tests that build a config by hand. */
        public static final int VIEWS_KEPT_MAX_DEFAULT = 1000;

        public Config {
            members = List.copyOf(members);
            Invariants.check(members.contains(self), "node %d is not a member of %s", self, members);
            Invariants.check(batchOperationsMax > 0 && pendingOperationsMax > 0 && viewsKeptMax > 0,
                    "node %d has empty limits", self);
        }

        /** With the default access log and view bounds. */
        public Config(int self, int cluster, List<Integer> members, IntFunction<List<Integer>> nodesOfCluster,
                PaxosSettings paxos, TxnSettings txn, int batchOperationsMax, int pendingOperationsMax,
                int checkpointIntervalSlots, int logRetainSlots) {
            this(self, cluster, members, nodesOfCluster, paxos, txn, batchOperationsMax, pendingOperationsMax,
                    checkpointIntervalSlots, logRetainSlots, ReshardSettings.defaults().accessLogTransactionsMax(),
                    VIEWS_KEPT_MAX_DEFAULT);
        }
    }

    private final Config config;
    private final int self;
    private final int cluster;
    private final Host<C> host;
    private final Observer observer;
    private final PaxosReplica replica;
    private final ShardStateMachine machine;
    private final ReadyExecutor executor;
    private final CrossClusterProtocols<C> protocols;
    private long now;

    private final ArrayDeque<LogCommand> pending = new ArrayDeque<>();
    private final Map<RequestId, C> waiting = new LinkedHashMap<>();
    /** Operations this leader queued or proposed as one-cluster operations, until they apply. */
    private final Set<RequestId> loggedHere = new HashSet<>();
    /** The newest NEW-VIEW records, at most {@code viewsKeptMax}, oldest first. */
    private final ArrayDeque<NodeProtocol.ViewRecord> views = new ArrayDeque<>();
    /** The route of every operation whose items are all here. */
    private final Route localRoute;
    /** As leader: the item sets of recent committed multi-item operations, for the reshard planner. */
    private final AccessLog accessLog;

    private long lastCheckpointSlot;
    /** The last slot this node re-proposed when it became leader: two-phase commit leads once the shard applied it. */
    private long viewEndSlot;

    /**
     * Rebuilds a node from what its disk holds: the shard from its last checkpoint, then the chosen
     * slots after it. Nothing is sent or written before {@link #start}.
     *
     * @param machine a fresh shard state machine of this node's cluster
     * @param random the replica's randomness (election timeouts), from the host
     */
    public NodeCore(Config config, ShardStateMachine machine, StoredState stored, RandomGenerator random, long nowMs,
            Host<C> host, Observer observer) {
        this.config = config;
        this.self = config.self();
        this.cluster = config.cluster();
        this.host = host;
        this.observer = observer;
        this.machine = machine;
        this.now = nowMs;
        this.accessLog = new AccessLog(config.accessLogTransactionsMax());
        this.localRoute = new Route(config.cluster(), List.of(), Map.of(), null);
        machine.restore(stored.appliedSlot(), stored.balances(), stored.sessions());
        lastCheckpointSlot = stored.appliedSlot();
        replica = new PaxosReplica(self, config.members(), config.paxos(), random, stored.paxos(), nowMs);
        observer.restored(machine);
        replayChosen();
        Wiring wiring = new Wiring();
        executor = new ReadyExecutor(self, wiring);
        protocols = new CrossClusterProtocols<>(cluster, self, config.txn(), config.nodesOfCluster(), machine,
                waiting, observer, wiring);
    }

    /**
     * Starts work. With a {@code bootstrap} ballot every node of the cluster is being reset together
     * and the ballot's owner leads at once. A node that merely starts on an empty disk must not: a
     * crash before its first write would let it reuse a ballot it may already have used.
     */
    public void start(Ballot bootstrap) {
        if (bootstrap != null) {
            replica.bootstrap(bootstrap);
        }
        process(replica.drainReady());
    }

    /** At start: apply the chosen slots that follow the last checkpoint. */
    private void replayChosen() {
        for (long slot = machine.appliedSlot() + 1; slot <= replica.commitIndex(); slot++) {
            SlotValue entry = replica.entry(slot);
            Invariants.check(entry != null, "n%d lost chosen slot %d (commit index %d)", self, slot,
                    replica.commitIndex());
            observer.applied(slot, entry.value(), machine.apply(slot, entry.value()), machine);
        }
    }

    // ---------------------------------------------------------------- queries

    /** The replica, for a simulator's checks; hosts use the narrow queries below. */
    public PaxosReplica replica() {
        return replica;
    }

    /** The shard, for a simulator's checks; hosts use the narrow queries below. */
    public ShardStateMachine machine() {
        return machine;
    }

    /** Operations and transaction steps queued for a slot. */
    public int pendingCount() {
        return pending.size();
    }

    /** The newest NEW-VIEWs this node saw (at most {@code viewsKeptMax}), oldest first. */
    public List<NodeProtocol.ViewRecord> views() {
        return List.copyOf(views);
    }

    public long commitIndex() {
        return replica.commitIndex();
    }

    public long appliedSlot() {
        return machine.appliedSlot();
    }

    /** The balances of those of {@code items} this node's shard owns. */
    public Map<Integer, Long> balances(List<Integer> items) {
        Map<Integer, Long> balances = new HashMap<>();
        for (int item : items) {
            if (machine.owns(item)) {
                balances.put(item, machine.balance(item));
            }
        }
        return balances;
    }

    /** The node's role and progress, for the operator; {@code failed} is the host's to tell. */
    public NodeProtocol.Status status(boolean failed) {
        return new NodeProtocol.Status(self, replica.role().name(), replica.leaderHint(), replica.ballot(),
                replica.commitIndex(), machine.appliedSlot(), failed, replica.contactedMembers(), machine.lockCount(),
                machine.txns().size(), protocols.twoPhaseCommit().coordinationCount());
    }

    // ---------------------------------------------------------------- inputs

    public void onPaxos(PaxosMessage message, long nowMs) {
        now = nowMs;
        replica.onMessage(message);
        process(replica.drainReady());
    }

    /** Time passes: elections, heartbeats, retries of two-phase commit. */
    public void onTick(long nowMs) {
        now = nowMs;
        replica.tick(nowMs);
        process(replica.drainReady());
        protocols.onTick(nowMs);
    }

    public void onTxnMessage(TxnMessage message, long nowMs) {
        now = nowMs;
        protocols.onMessage(message, nowMs);
    }

    /** A client sent operations; those answered at once are answered in one reply. */
    public void onClientRequest(C client, long clientId, List<Operation> operations, long nowMs) {
        now = nowMs;
        ClientReplies<C> immediate = new ClientReplies<>();
        for (Operation operation : operations) {
            Outcome answer = admit(client, clientId, operation);
            if (answer != null) {
                immediate.add(client, clientId, answer);
            }
        }
        immediate.send(host, self, replica.leaderHint());
        protocols.carryOut();
        proposeWhatFits();
    }

    /** The write the core started last is durable. */
    public void onWriteDone(long nowMs) {
        now = nowMs;
        executor.onWriteDone();
        proposeWhatFits();
    }

    /** A peer sent a snapshot of its shard; returns whether this node installed it. */
    public boolean onInstallSnapshot(InstallSnapshot snapshot, long nowMs) {
        now = nowMs;
        if (snapshot.slot() <= replica.commitIndex() || replica.isLeader()) {
            return false;
        }
        machine.restore(snapshot.slot(), snapshot.balances(), snapshot.sessions());
        replica.installSnapshot(snapshot.slot());
        lastCheckpointSlot = snapshot.slot();
        executor.persist(new Checkpoint(snapshot.slot(), snapshot.balances(), true, snapshot.sessions(),
                snapshot.slot()));
        observer.restored(machine);
        process(replica.drainReady());
        return true;
    }

    /** The node was cut off and is back: it waits for the current leader before it stands itself. */
    public void rejoin(long nowMs) {
        now = nowMs;
        replica.rejoin(nowMs);
        process(replica.drainReady());
    }

    // ---------------------------------------------------------------- admission

    /** Queues an operation for a slot, or returns the answer it gets at once. */
    private Outcome admit(C client, long clientId, Operation operation) {
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
        if (pending.size() >= config.pendingOperationsMax()) {
            return Outcome.unavailable(operation.sequence(), "overloaded: " + pending.size()
                    + " operations queued at n" + self);
        }
        RequestId id = new RequestId(clientId, operation.sequence());
        if (machine.txn(id) != null || protocols.isCoordinating(id) || loggedHere.contains(id)) {
            waiting.put(id, client); // under way, as a transaction or in a slot: answered when it ends
            return null;
        }
        Outcome known = machine.outcomeOf(id);
        if (known != null) {
            return known; // a retry of a finished operation
        }
        Route route = routeOf(operation);
        if (route == null || route.isLocal()) {
            waiting.put(id, client);
            loggedHere.add(id);
            pending.add(new LoggedOperation(clientId, operation));
            return null;
        }
        if (route.coordinator() != cluster) {
            return Outcome.rejected(operation.sequence(), "a migration from c" + route.coordinator()
                    + " is coordinated there, not in c" + cluster);
        }
        protocols.coordinate(id, route, Operation.itemsOf(operation), client);
        return null;
    }

    /**
     * Where an operation runs, or null when this cluster no longer owns the item that would make it
     * coordinate: the operation then goes through the log, which answers MOVED and remembers it.
     */
    private Route routeOf(Operation operation) {
        if (!machine.owns(Operation.routingItem(operation))) {
            return null;
        }
        if (!(operation instanceof Operation.Migrate) && ownsAll(Operation.deltasOf(operation))) {
            return localRoute; // the common case, without building a route
        }
        return Route.of(operation, cluster, this::ownerOf);
    }

    private boolean ownsAll(List<ItemDelta> deltas) {
        for (ItemDelta delta : deltas) {
            if (!machine.owns(delta.item())) {
                return false;
            }
        }
        return true;
    }

    /** The cluster believed to own an item: this shard's map, or where a participant said it went. */
    private int ownerOf(int item) {
        if (machine.owns(item)) {
            return cluster;
        }
        int learned = protocols.learnedOwner(item);
        return learned > 0 ? learned : machine.shardMap().clusterOf(item).index();
    }

    /** Answers a read from this node's applied state when its consistency allows, else null. */
    private Outcome readLocally(Operation.LocalRead read) {
        Outcome rejection = machine.validate(read);
        if (rejection != null) {
            return rejection;
        }
        Redirect redirect = machine.redirect(read.item());
        if (redirect != null) {
            return Outcome.moved(read.sequence(), redirect.describe(), redirect);
        }
        boolean allowed = read.consistency() == ReadConsistency.ANY
                || read.consistency() == ReadConsistency.LEASE && replica.hasReadLease(now);
        if (allowed) {
            return Outcome.balance(read.sequence(), machine.committedBalance(read.item()));
        }
        return read.consistency() == ReadConsistency.LEASE && !replica.isLeader()
                ? Outcome.notLeader(read.sequence()) : null;
    }

    private String noMajorityReason() {
        return replica.isLeader()
                ? "n" + self + " leads c" + cluster + " but is in touch with " + nodeNames(replica.contactedMembers())
                        + " only"
                : "n" + self + " heard from fewer than a majority of c" + cluster + " in its last election";
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
            int size = Math.min(pending.size(), config.batchOperationsMax());
            List<LogCommand> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(pending.poll());
            }
            replica.propose(BatchCodec.encode(batch));
        }
        process(replica.drainReady());
    }

    // ---------------------------------------------------------------- the node's part of a Ready

    private void process(Ready ready) {
        executor.carryOut(ready);
    }

    /** Applies what was chosen, notes views, ships snapshots, and follows leadership changes. */
    private void carryOutLocally(Ready ready) {
        apply(ready.committed);
        ready.views.forEach(this::onView);
        ready.snapshotRequests.forEach(this::sendSnapshot);
        if (ready.leadershipChanged) {
            host.leadershipChanged(replica.isLeader(), replica.ballot(), replica.leaderHint());
            if (!replica.isLeader()) {
                failQueued("n" + self + " is no longer the leader");
            }
        }
        protocols.onLeadership(leadsTwoPhaseCommit(), replica.leaderHint(), now);
    }

    /**
     * Two-phase commit takes over as leader only once the shard has applied every slot the new
     * leader re-proposed: a decision of the former leader may be among them, and recovery must not
     * abort a transaction whose commit is already in the log (both decisions would be chosen).
     */
    private boolean leadsTwoPhaseCommit() {
        return replica.isLeader() && machine.appliedSlot() >= viewEndSlot;
    }

    private void onView(PaxosMessage.NewView view) {
        views.addLast(ViewRecords.of(view));
        while (views.size() > config.viewsKeptMax()) {
            views.removeFirst();
        }
        if (view.from() == self) {
            viewEndSlot = view.entries().isEmpty() ? view.commitIndex()
                    : view.entries().get(view.entries().size() - 1).slot();
        }
    }

    /**
     * Applies chosen slots in order. A client operation's outcome answers its waiting client here;
     * every step of a cross-cluster protocol (a transaction's outcome included) goes to the protocols.
     */
    private void apply(List<SlotValue> committed) {
        if (committed.isEmpty()) {
            return;
        }
        ClientReplies<C> replies = new ClientReplies<>();
        for (SlotValue entry : committed) {
            observer.chosen(entry);
            List<ShardStateMachine.Applied> effects = machine.apply(entry.slot(), entry.value());
            observer.applied(entry.slot(), entry.value(), effects, machine);
            RequestId ended = null;
            for (ShardStateMachine.Applied applied : effects) {
                if (applied instanceof ShardStateMachine.ClientOutcome result && !isOutcomeOf(result, ended)) {
                    noteAccess(result);
                    RequestId id = new RequestId(result.clientId(), result.outcome().sequence());
                    loggedHere.remove(id);
                    C client = waiting.remove(id);
                    if (client != null) {
                        replies.add(client, result.clientId(), result.outcome());
                    }
                } else {
                    protocols.onApplied(applied, replies, now);
                }
                ended = applied instanceof ShardStateMachine.TxnForgotten forgotten ? forgotten.txn() : null;
            }
        }
        replies.send(host, self, replica.leaderHint());
        maybeCheckpoint();
        protocols.afterApplied();
    }

    /** Whether {@code result} is the outcome of the transaction {@code ended} (it follows its TxnForgotten). */
    private static boolean isOutcomeOf(ShardStateMachine.ClientOutcome result, RequestId ended) {
        return ended != null && ended.clientId() == result.clientId()
                && ended.sequence() == result.outcome().sequence();
    }

    private void maybeCheckpoint() {
        long applied = machine.appliedSlot();
        if (applied - lastCheckpointSlot < config.checkpointIntervalSlots()) {
            return;
        }
        lastCheckpointSlot = applied;
        long compactThrough = Math.max(0, applied - config.logRetainSlots());
        executor.persist(new Checkpoint(applied, machine.takeDirtyBalances(), false, machine.encodeSessions(),
                compactThrough));
    }

    private void sendSnapshot(int to) {
        host.send(to, new InstallSnapshot(self, machine.appliedSlot(), machine.allBalances(),
                machine.encodeSessions()));
    }

    /** A leader keeps the item sets of committed multi-item operations (one-item ones are not kept). */
    private void noteAccess(ShardStateMachine.ClientOutcome result) {
        if (result.operation() != null && result.outcome().status() == Outcome.Status.COMMITTED
                && replica.isLeader()) {
            accessLog.record(Operation.itemsOf(result.operation()));
        }
    }

    /**
     * What the reshard coordinator asks of a cluster: whether this node leads, the shard map version
     * and the items its cluster owns (as of its applied slot), and, from a leader, the item sets of
     * its recent committed multi-item operations.
     */
    public NodeProtocol.ReshardState reshardState() {
        List<Integer> owned = new ArrayList<>();
        for (int item = 1; item <= machine.shardMap().itemCount(); item++) {
            if (machine.owns(item)) {
                owned.add(item);
            }
        }
        boolean leading = replica.isLeader();
        return new NodeProtocol.ReshardState(self, cluster, leading, machine.shardMap().version(),
                machine.appliedSlot(), owned, leading ? accessLog.itemSets() : List.of());
    }

    // ---------------------------------------------------------------- failing clients

    /**
     * Answers every queued and proposed operation with NOT_LEADER: the client retries at the leader
     * hint with the same request id, and the dedup table gives it the real outcome of one that did
     * get chosen. The host calls this too, when the node fails or is flushed.
     */
    public void failQueued(String reason) {
        ClientReplies<C> replies = new ClientReplies<>();
        waiting.forEach((id, client) -> replies.add(client, id.clientId(),
                new Outcome(id.sequence(), Outcome.Status.NOT_LEADER, reason, 0)));
        waiting.clear();
        loggedHere.clear();
        protocols.forgetCoordinated();
        pending.clear();
        replies.send(host, self, replica.leaderHint());
    }

    /**
     * Answers the queued client operations that no slot holds yet; they can never run. Queued
     * two-phase-commit steps stay: the engine counts them as proposed and would never ask again.
     */
    private void failPending(Outcome.Status status, String reason) {
        ClientReplies<C> replies = new ClientReplies<>();
        for (Iterator<LogCommand> queued = pending.iterator(); queued.hasNext(); ) {
            if (queued.next() instanceof LoggedOperation operation) {
                queued.remove();
                loggedHere.remove(operation.requestId());
                C client = waiting.remove(operation.requestId());
                if (client != null) {
                    replies.add(client, operation.clientId(),
                            new Outcome(operation.operation().sequence(), status, reason, 0));
                }
            }
        }
        replies.send(host, self, replica.leaderHint());
    }

    /** How the executor and the protocols reach the node; kept off the core's public face. */
    private final class Wiring implements ReadyExecutor.Node, CrossClusterProtocols.Node<C> {

        @Override
        public void send(int node, PaxosMessage message) {
            host.send(node, message);
        }

        @Override
        public void send(int node, NodeMessage message) {
            host.send(node, message);
        }

        @Override
        public void write(WriteBatch batch) {
            host.write(batch);
        }

        @Override
        public Ready deliverToSelf(PaxosMessage message) {
            replica.onMessage(message);
            return replica.drainReady();
        }

        @Override
        public void compactThrough(long slot) {
            replica.compactThrough(Math.min(slot, replica.commitIndex()));
        }

        @Override
        public void carryOutLocally(Ready ready) {
            NodeCore.this.carryOutLocally(ready);
        }

        @Override
        public void reply(ClientReplies<C> replies) {
            replies.send(host, self, replica.leaderHint());
        }

        @Override
        public boolean isLeader() {
            return replica.isLeader();
        }

        @Override
        public boolean canCommit() {
            return replica.isLeader() && replica.hasQuorumContact();
        }

        @Override
        public void propose(LogCommand command) {
            pending.add(command);
        }

        @Override
        public void proposeQueued() {
            proposeWhatFits();
        }

        @Override
        public void committed(List<Integer> items) {
            accessLog.record(items);
        }
    }
}
