package io.shardbank.shard;

import io.shardbank.model.ClusterId;
import io.shardbank.model.Invariants;
import io.shardbank.model.RequestId;
import io.shardbank.model.ShardMap;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The replicated state of one shard: the shard map as this cluster knows it (authoritative for the
 * items it owns; for the others, where they were last seen going), balances of the items its cluster
 * owns, the client dedup table, and the cluster's part of cross-cluster transactions and migrations
 * (locks, undo records, decisions).
 * Every replica applies the same chosen batches in slot order and so reaches the same state and the
 * same outcomes; nothing here reads a clock or depends on the node.
 *
 * <p>Not final so that the simulator can plant known bugs in a subclass of its own. The machine never
 * calls {@link #outcomeOf} or {@link #txn} itself, so overriding them changes what the node sees,
 * not how slots apply.
 */
public class ShardStateMachine implements TxnRecords {

    /** What applying a command produced, for the node to act on. */
    public sealed interface Applied {
    }

    /**
     * A client operation's final outcome; {@code operation} is the one-cluster operation the slot
     * carried, or null for a transaction's outcome.
     */
    public record ClientOutcome(long clientId, Outcome outcome, Operation operation) implements Applied {

        public ClientOutcome(long clientId, Outcome outcome) {
            this(clientId, outcome, null);
        }
    }

    /**
     * This cluster's vote on a transaction is in the log: yes (prepared) or no (refused, with the
     * reason). {@code yes} is the vote as logged; the record is live and may be decided already.
     */
    public record VoteLogged(TxnRecord record, boolean yes) implements Applied {
    }

    /**
     * A transaction's decision is applied here. {@code record} is null when this cluster never
     * prepared the transaction (the decision is kept so that a late prepare is refused).
     */
    public record DecisionApplied(RequestId txn, Outcome.Status status, String reason, TxnRecord record)
            implements Applied {
    }

    /**
     * The coordinator forgot a transaction that every participant acknowledged; its client's
     * outcome follows as a {@link ClientOutcome} (for a client still waiting, such as one that
     * retried at a new leader; the leader that saw the acknowledgements answered its own at once).
     */
    public record TxnForgotten(RequestId txn) implements Applied {
    }

    /**
     * The coordinator's own prepare found its request answered already: whoever coordinates it
     * drops the coordination (a participant that prepared hears "abort" when it asks, by presumed
     * abort), and a client still waiting hears the recorded outcome.
     */
    public record TxnSuperseded(RequestId txn) implements Applied {
    }

    private final ClusterId cluster;
    /** Ownership and its version; changed only by applying a migration's decision. */
    private ShardMap shardMap;
    private final int dedupWindowPerClient;
    private final int decisionsRememberedMax;
    private final long[] balances;
    private final BitSet dirty = new BitSet();
    private final Map<Long, ClientWindow> clients = new HashMap<>();
    private final Map<Integer, RequestId> locks = new HashMap<>();
    private final Map<RequestId, TxnRecord> txns = new LinkedHashMap<>();
    /** Decisions of transactions this cluster no longer holds, so that late messages find their answer. */
    private final LinkedHashMap<RequestId, Outcome.Status> decided = new LinkedHashMap<>();
    /**
     * Per client, the highest sequence number among the decisions dropped from {@link #decided}: a
     * prepare at or below it may belong to a transaction decided here and forgotten since, so it
     * must not lock and apply its deltas again.
     */
    private final Map<Long, Long> decisionsForgottenThrough = new HashMap<>();
    private long appliedSlot;

    /** The outcomes of one client's latest requests, oldest first, at most the dedup window. */
    static final class ClientWindow {
        final LinkedHashMap<Long, Outcome> outcomes = new LinkedHashMap<>();
        long highestSequence;
    }

    public ShardStateMachine(ClusterId cluster, ShardMap shardMap, long initialBalance, int dedupWindowPerClient) {
        Invariants.check(dedupWindowPerClient > 0, "dedup window must be positive");
        this.cluster = cluster;
        this.shardMap = shardMap;
        this.dedupWindowPerClient = dedupWindowPerClient;
        this.decisionsRememberedMax = dedupWindowPerClient;
        this.balances = new long[shardMap.itemCount() + 1];
        for (int item = 1; item <= shardMap.itemCount(); item++) {
            if (shardMap.owns(cluster, item)) {
                balances[item] = initialBalance;
            }
        }
    }

    public ClusterId cluster() {
        return cluster;
    }

    public ShardMap shardMap() {
        return shardMap;
    }

    public long appliedSlot() {
        return appliedSlot;
    }

    public boolean owns(int item) {
        return shardMap.owns(cluster, item);
    }

    /**
     * Where an item this cluster does not own went, as far as this cluster knows (the cluster that
     * handed it over knows exactly; others know the owner of their initial map or of their last
     * migration of it); null when this cluster owns it.
     */
    public Redirect redirect(int item) {
        return owns(item) ? null : new Redirect(item, shardMap.clusterOf(item).index(), shardMap.version());
    }

    /** Whether an item is frozen by a migration under way (the source's items, or the target's to come). */
    public boolean inMigration(int item) {
        RequestId holder = locks.get(item);
        return holder != null && txns.get(holder).handover() != null;
    }

    /** This replica's balance of an item it owns (tentative values of prepared transactions included). */
    public long balance(int item) {
        Invariants.check(owns(item), "item %d is not in cluster %s", item, cluster);
        return balances[item];
    }

    /** The transaction this shard holds, or null. */
    @Override
    public TxnRecord txn(RequestId txn) {
        return txns.get(txn);
    }

    /** Every transaction this shard holds (prepared, refused, or decided and not yet ended). */
    @Override
    public Collection<TxnRecord> txns() {
        return List.copyOf(txns.values());
    }

    /** The decision of a transaction this shard has forgotten, or null. */
    @Override
    public Outcome.Status forgottenDecision(RequestId txn) {
        return decided.get(txn);
    }

    /**
     * Whether this shard may have decided {@code txn} and forgotten the decision: a prepare for it
     * may be a stale duplicate and is refused.
     */
    @Override
    public boolean mayHaveForgotten(RequestId txn) {
        return txn.sequence() <= decisionsForgottenThrough.getOrDefault(txn.clientId(), 0L);
    }

    /** Test seam: the transaction holding a lock on {@code item}, or null. */
    RequestId lockHolder(int item) {
        return locks.get(item);
    }

    public int lockCount() {
        return locks.size();
    }

    /** The outcome already recorded for a request, or null. */
    public Outcome outcomeOf(RequestId request) {
        return recordedOutcome(request);
    }

    private Outcome recordedOutcome(RequestId request) {
        ClientWindow window = clients.get(request.clientId());
        return window == null ? null : window.outcomes.get(request.sequence());
    }

    // ---------------------------------------------------------------- validation

    /**
     * Checks a client operation before it is proposed (and again, identically, when it is
     * applied). Returns the rejection, or null when the operation may enter the log. Whether this
     * cluster owns its items is not checked here: an operation on items that moved away enters the
     * log and is answered MOVED there, so that the answer is remembered like any other.
     */
    public Outcome validate(Operation operation) {
        String problem = Validation.problem(operation, shardMap);
        return problem == null ? null : Outcome.rejected(operation.sequence(), problem);
    }

    /**
     * Why an operation cannot run here because of where its items are: one of them is owned by
     * another cluster, or (for a write) is being migrated. Null when every item is here and free of
     * migrations.
     */
    private Outcome misplaced(Operation operation) {
        boolean read = operation instanceof Operation.BalanceRead;
        for (int item : Operation.itemsOf(operation)) {
            if (inMigration(item) && !(read && owns(item))) {
                // Frozen at the source (a read may still see the frozen balance: it is the item's
                // balance until the migration commits), or reserved at the target: ask again here.
                Redirect here = new Redirect(item, cluster.index(), shardMap.version());
                return Outcome.moved(operation.sequence(), "item " + item + " is being migrated; retry", here);
            }
            Redirect redirect = redirect(item);
            if (redirect != null) {
                return Outcome.moved(operation.sequence(), redirect.describe(), redirect);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- applying

    /** Applies the chosen value of the next slot and returns what each of its commands produced. */
    public List<Applied> apply(long slot, byte[] value) {
        Invariants.check(slot == appliedSlot + 1, "cluster %s applies slot %d after %d", cluster, slot, appliedSlot);
        appliedSlot = slot;
        List<LogCommand> batch = BatchCodec.decode(value);
        List<Applied> effects = new ArrayList<>(batch.size());
        for (LogCommand command : batch) {
            if (command instanceof LoggedOperation logged) {
                Outcome outcome = applyOnce(logged);
                if (outcome != null) {
                    effects.add(new ClientOutcome(logged.clientId(), outcome, logged.operation()));
                }
            } else if (command instanceof LogCommand.TxnPrepared prepare) {
                applyPrepare(prepare, effects);
            } else if (command instanceof LogCommand.TxnDecided decide) {
                applyDecide(decide, effects);
            } else {
                applyEnd((LogCommand.TxnEnded) command, effects);
            }
        }
        return effects;
    }

    private Outcome applyOnce(LoggedOperation logged) {
        ClientWindow window = clients.computeIfAbsent(logged.clientId(), id -> new ClientWindow());
        long sequence = logged.operation().sequence();
        Outcome earlier = window.outcomes.get(sequence);
        if (earlier != null) {
            return earlier;
        }
        if (txns.containsKey(logged.requestId())) {
            // The same request is under way as a cross-cluster transaction (it was routed there on
            // another attempt, before or after an item moved): it runs once, there, and its client
            // hears the outcome when it ends.
            return null;
        }
        if (sequence <= window.highestSequence - dedupWindowPerClient) {
            return Outcome.rejected(sequence, "request " + logged.requestId() + " is too old to tell whether it ran");
        }
        Outcome outcome = execute(logged.operation());
        remember(logged.clientId(), outcome);
        return outcome;
    }

    private void remember(long clientId, Outcome outcome) {
        ClientWindow window = clients.computeIfAbsent(clientId, id -> new ClientWindow());
        window.outcomes.put(outcome.sequence(), outcome);
        window.highestSequence = Math.max(window.highestSequence, outcome.sequence());
        while (window.outcomes.size() > dedupWindowPerClient) {
            window.outcomes.remove(window.outcomes.keySet().iterator().next());
        }
    }

    private Outcome execute(Operation operation) {
        Outcome rejection = validate(operation);
        if (rejection != null) {
            return rejection;
        }
        if (operation instanceof Operation.LocalRead) {
            return Outcome.rejected(operation.sequence(), "a local read reached the log");
        }
        Outcome moved = misplaced(operation);
        if (moved != null) {
            return moved;
        }
        if (operation instanceof Operation.BalanceRead read) {
            return Outcome.balance(read.sequence(), committedBalance(read.item()));
        }
        if (operation instanceof Operation.Migrate) {
            return Outcome.rejected(operation.sequence(), "a migration reached the log as a local operation");
        }
        List<ItemDelta> deltas = Operation.deltasOf(operation);
        String problem = checkDeltas(deltas);
        if (problem != null) {
            return Outcome.aborted(operation.sequence(), problem);
        }
        applyDeltas(deltas);
        return Outcome.committed(operation.sequence());
    }

    /**
     * The balance of an item as of the last decided change: a prepared transaction's tentative
     * change is not yet visible.
     */
    public long committedBalance(int item) {
        Invariants.check(owns(item), "item %d is not in cluster %s", item, cluster);
        RequestId holder = locks.get(item);
        if (holder == null) {
            return balances[item];
        }
        return txns.get(holder).undo().get(item);
    }

    /** Why the deltas cannot apply (a lock, insufficient funds), or null when they can. */
    private String checkDeltas(List<ItemDelta> deltas) {
        Map<Integer, Long> after = new HashMap<>();
        for (ItemDelta delta : deltas) {
            RequestId holder = locks.get(delta.item());
            if (holder != null) {
                return "item " + delta.item() + " is locked by transaction " + holder;
            }
            long before = after.getOrDefault(delta.item(), balances[delta.item()]);
            long next = before + delta.delta();
            if (next < 0) {
                return "insufficient funds: item " + delta.item() + " has " + before + ", needs " + -delta.delta();
            }
            after.put(delta.item(), next);
        }
        return null;
    }

    private void applyDeltas(List<ItemDelta> deltas) {
        for (ItemDelta delta : deltas) {
            balances[delta.item()] += delta.delta();
            Invariants.check(balances[delta.item()] >= 0, "balance of %d went negative", delta.item());
            dirty.set(delta.item());
        }
    }

    // ---------------------------------------------------------------- two-phase commit

    private void applyPrepare(LogCommand.TxnPrepared prepare, List<Applied> effects) {
        RequestId txn = prepare.txn();
        boolean coordinator = prepare.coordinatorCluster() == cluster.index();
        if (txns.containsKey(txn)) {
            return; // a duplicate prepare: nothing to do
        }
        if (coordinator && recordedOutcome(txn) != null) {
            // A duplicate, or a request that ran as a one-cluster operation first (on another attempt,
            // routed before or after an item moved): either way there is nothing to coordinate.
            effects.add(new TxnSuperseded(txn));
            effects.add(new ClientOutcome(txn.clientId(), recordedOutcome(txn)));
            return;
        }
        Outcome.Status known = decided.get(txn);
        if (known != null || mayHaveForgotten(txn)) {
            // A prepare that arrives after the decision (or after a decision this shard no longer
            // remembers): nothing to prepare. The coordinator's cluster decides a transaction of its
            // own without a client outcome only by presumed abort.
            if (coordinator && known != Outcome.Status.COMMITTED && !tooOldToTell(txn)) {
                abortedBeforePrepare(prepare, known == null ? Outcome.Status.ABORTED : known, effects);
            }
            return;
        }
        if (prepare.handover() != null) {
            prepareHandover(prepare, effects);
            return;
        }
        for (ItemDelta delta : prepare.deltas()) {
            Redirect redirect = redirect(delta.item());
            if (redirect != null || inMigration(delta.item())) {
                refuseMoved(prepare, redirect != null ? redirect
                        : new Redirect(delta.item(), cluster.index(), shardMap.version()), effects);
                return;
            }
        }
        String problem = checkDeltas(prepare.deltas());
        if (problem != null) {
            refuse(prepare, problem, effects);
            return;
        }
        Map<Integer, Long> undo = new HashMap<>();
        for (ItemDelta delta : prepare.deltas()) {
            undo.putIfAbsent(delta.item(), balances[delta.item()]);
            locks.put(delta.item(), txn);
        }
        applyDeltas(prepare.deltas());
        log(new TxnRecord(txn, prepare.coordinatorCluster(), prepare.participantClusters(), prepare.deltas(), undo,
                TxnRecord.State.PREPARED, ""), effects);
    }

    /**
     * A migration's prepare. At the source: every item must be owned here and unlocked; they are
     * frozen (locked) and their balances recorded as the undo record, which the coordinator then
     * sends to the target. At the target: none of the items may be owned or locked here; they are
     * reserved (locked) and the values wait in the record, inactive, until the decision.
     */
    private void prepareHandover(LogCommand.TxnPrepared prepare, List<Applied> effects) {
        Handover handover = prepare.handover();
        boolean source = handover.isSource(cluster.index());
        Invariants.check(source || handover.toCluster() == cluster.index(), "handover %s prepared in %s",
                handover, cluster);
        Invariants.check(source || handover.values().size() == handover.items().size(),
                "the target's prepare of %s carries no values", prepare.txn());
        for (int item : handover.items()) {
            if (source && !owns(item)) {
                refuseMoved(prepare, redirect(item), effects);
                return;
            }
            String problem = !source && owns(item) ? "c" + cluster.index() + " already owns item " + item
                    : locks.containsKey(item) ? "item " + item + " is locked by transaction " + locks.get(item)
                    : null;
            if (problem != null) {
                refuse(prepare, problem, effects);
                return;
            }
        }
        Map<Integer, Long> undo = new HashMap<>();
        for (int item : handover.items()) {
            locks.put(item, prepare.txn());
            if (source) {
                undo.put(item, balances[item]);
            }
        }
        log(new TxnRecord(prepare.txn(), prepare.coordinatorCluster(), prepare.participantClusters(), List.of(),
                undo, handover, null, TxnRecord.State.PREPARED, ""), effects);
    }

    /** Logs a no vote because an item lives elsewhere (or is moving): the coordinator hears where. */
    private void refuseMoved(LogCommand.TxnPrepared prepare, Redirect redirect, List<Applied> effects) {
        String reason = redirect.owner() == cluster.index()
                ? "item " + redirect.item() + " is being migrated; retry" : redirect.describe();
        log(new TxnRecord(prepare.txn(), prepare.coordinatorCluster(), prepare.participantClusters(),
                prepare.deltas(), Map.of(), prepare.handover(), redirect, TxnRecord.State.REFUSED, reason), effects);
    }

    /** Whether a request is older than its client's dedup window, so that its outcome may be forgotten. */
    private boolean tooOldToTell(RequestId request) {
        ClientWindow window = clients.get(request.clientId());
        return window != null && request.sequence() <= window.highestSequence - dedupWindowPerClient;
    }

    /**
     * The coordinator's own prepare of a transaction it already aborted by presumption (a client
     * retry, or a re-proposal by a new leader): the transaction is over. It gets a decided record,
     * and its client the outcome, so that its coordination announces the abort, ends the
     * transaction and answers the client, instead of waiting for a vote that never comes.
     */
    private void abortedBeforePrepare(LogCommand.TxnPrepared prepare, Outcome.Status status, List<Applied> effects) {
        RequestId txn = prepare.txn();
        String reason = "transaction " + txn + " was already aborted here (presumed abort)";
        TxnRecord record = new TxnRecord(txn, prepare.coordinatorCluster(), prepare.participantClusters(),
                prepare.deltas(), Map.of(), TxnRecord.State.REFUSED, reason);
        record.moveTo(TxnRecord.State.ABORTED, status, reason);
        txns.put(txn, record);
        remember(txn.clientId(), new Outcome(txn.sequence(), status, reason, 0));
        effects.add(new DecisionApplied(txn, status, reason, record));
    }

    /** Logs a no vote: a record that holds no locks and changes nothing. */
    private void refuse(LogCommand.TxnPrepared prepare, String problem, List<Applied> effects) {
        log(new TxnRecord(prepare.txn(), prepare.coordinatorCluster(), prepare.participantClusters(),
                prepare.deltas(), Map.of(), prepare.handover(), null, TxnRecord.State.REFUSED, problem), effects);
    }

    private void log(TxnRecord record, List<Applied> effects) {
        txns.put(record.txn(), record);
        effects.add(new VoteLogged(record, record.votedYes()));
    }

    private void applyDecide(LogCommand.TxnDecided decide, List<Applied> effects) {
        RequestId txn = decide.txn();
        TxnRecord record = txns.get(txn);
        // The first decision in the log is the transaction's; a later one, even a different one, changes
        // nothing. Two decisions can both be chosen: a new coordinator leader aborts what its log
        // shows undecided, while a commit that its predecessor proposed, accepted by a minority only,
        // may be re-proposed (and chosen, in a later slot) by the leader after it. Only the first
        // decision is ever announced, so every cluster follows the same one.
        if (record == null) {
            // Never prepared here (presumed abort), or decided and forgotten: remember the decision
            // so that a prepare arriving late is refused.
            if (!decided.containsKey(txn)) {
                rememberDecision(txn, decide.status());
                effects.add(new DecisionApplied(txn, decide.status(), decide.reason(), null));
            }
            return;
        }
        if (record.state().isDecided()) {
            return;
        }
        boolean locked = record.state() == TxnRecord.State.PREPARED;
        if (decide.commit()) {
            Invariants.check(record.state() == TxnRecord.State.PREPARED, "transaction %s committed where it was refused", txn);
            if (record.handover() != null) {
                handOver(record.handover());
            }
            record.moveTo(TxnRecord.State.COMMITTED, decide.status(), decide.reason());
        } else {
            if (record.state() == TxnRecord.State.PREPARED) {
                record.undo().forEach((item, old) -> {
                    balances[item] = old;
                    dirty.set(item);
                });
            }
            record.moveTo(TxnRecord.State.ABORTED, decide.status(), decide.reason());
        }
        if (locked) {
            record.lockedItems().forEach(locks::remove);
        }
        if (record.coordinatedBy(cluster.index())) {
            // The client hears the outcome once every participant applied it too (from the leader as
            // the last acknowledgement arrives, or at TxnEnded), so that whatever it does next sees
            // no lock of this transaction anywhere.
            remember(txn.clientId(), new Outcome(txn.sequence(), decide.status(), decide.reason(), 0));
        } else {
            txns.remove(txn);
            rememberDecision(txn, decide.status());
        }
        effects.add(new DecisionApplied(txn, decide.status(), decide.reason(), record));
    }

    /**
     * A committed migration changes owners here: the source gives its items up (their balances now
     * live at the target), the target takes them over with the values the source froze. Both record
     * the plan's map version.
     */
    private void handOver(Handover handover) {
        boolean source = handover.isSource(cluster.index());
        Map<Integer, ClusterId> moves = new HashMap<>();
        for (int item : handover.items()) {
            Invariants.check(source == owns(item), "c%d %s item %d at the commit of %s", cluster.index(),
                    source ? "does not own" : "already owns", item, handover);
            moves.put(item, new ClusterId(handover.toCluster()));
            balances[item] = source ? 0 : handover.values().get(item);
            dirty.set(item);
        }
        shardMap = shardMap.withOwners(moves, Math.max(shardMap.version(), handover.mapVersion()));
    }

    private void applyEnd(LogCommand.TxnEnded end, List<Applied> effects) {
        TxnRecord record = txns.remove(end.txn());
        if (record != null) {
            Invariants.check(record.state().isDecided(), "transaction %s ended undecided", end.txn());
            rememberDecision(end.txn(), record.decidedStatus());
            effects.add(new TxnForgotten(end.txn()));
            Outcome outcome = recordedOutcome(end.txn());
            if (outcome != null) {
                effects.add(new ClientOutcome(end.txn().clientId(), outcome));
            }
        }
    }

    private void rememberDecision(RequestId txn, Outcome.Status status) {
        decided.put(txn, status);
        while (decided.size() > decisionsRememberedMax) {
            RequestId oldest = decided.keySet().iterator().next();
            decided.remove(oldest);
            decisionsForgottenThrough.merge(oldest.clientId(), oldest.sequence(), Math::max);
        }
    }

    // ---------------------------------------------------------------- snapshots

    /** Balances changed since the last call, and forgets them. */
    public Map<Integer, Long> takeDirtyBalances() {
        Map<Integer, Long> changed = new HashMap<>();
        for (int item = dirty.nextSetBit(0); item >= 0; item = dirty.nextSetBit(item + 1)) {
            changed.put(item, balances[item]);
        }
        dirty.clear();
        return changed;
    }

    /** Every balance this shard owns. */
    public Map<Integer, Long> allBalances() {
        Map<Integer, Long> all = new HashMap<>();
        for (int item = 1; item < balances.length; item++) {
            if (owns(item)) {
                all.put(item, balances[item]);
            }
        }
        return all;
    }

    /** The state other than balances (shard map, dedup table, transactions, decisions), encoded for a snapshot. */
    public byte[] encodeSessions() {
        return ShardSnapshotCodec.encode(shardMap, clients, txns.values(), decided, decisionsForgottenThrough);
    }

    /** Replaces this machine's state with a snapshot taken at {@code slot}. */
    public void restore(long slot, Map<Integer, Long> snapshotBalances, byte[] sessions) {
        clients.clear();
        txns.clear();
        locks.clear();
        decided.clear();
        decisionsForgottenThrough.clear();
        if (sessions.length > 0) {
            ShardMap restored = ShardSnapshotCodec.decode(sessions, clients, txns, decided, decisionsForgottenThrough);
            Invariants.check(restored.itemCount() == shardMap.itemCount(), "snapshot of %d items restored into %d",
                    restored.itemCount(), shardMap.itemCount());
            shardMap = restored;
        }
        for (Map.Entry<Integer, Long> entry : snapshotBalances.entrySet()) {
            Invariants.check(owns(entry.getKey()) || entry.getValue() == 0, "snapshot holds item %d outside %s",
                    entry.getKey(), cluster);
            balances[entry.getKey()] = entry.getValue();
        }
        for (int item = 1; item < balances.length; item++) {
            if (!owns(item)) {
                balances[item] = 0; // handed over since the state this machine started from
            }
        }
        for (TxnRecord record : txns.values()) {
            if (record.state() == TxnRecord.State.PREPARED) {
                record.lockedItems().forEach(item -> locks.put(item, record.txn()));
            }
        }
        appliedSlot = slot;
        dirty.clear();
    }
}
