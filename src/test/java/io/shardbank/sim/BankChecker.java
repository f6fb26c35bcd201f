package io.shardbank.sim;

import io.shardbank.model.RequestId;
import io.shardbank.model.ShardMap;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The safety invariants of a full-stack run, checked as it goes and at its end. Per cluster: one
 * value per chosen slot, the same shard state after the same slot on every node (so applied logs
 * are prefixes of each other), and balances equal to a model driven by what the shard reported
 * applying: an operation's deltas count once however often it is retried, a prepared
 * transaction's deltas count until it aborts. Money is conserved inside a cluster apart from the
 * deltas of cross-cluster transactions under way there, and across all clusters once they are
 * decided everywhere. Across clusters: every transaction has one decision, a committed one is
 * applied in every cluster it touches and never undone, and what each client was told matches
 * what happened: a read returns a committed balance the item had between the read's first send and
 * its answer (any balance it ever had before the answer, for a read from any replica).
 */
final class BankChecker {

    /** One cluster as the model sees it. */
    private static final class ClusterModel {
        final int cluster;
        final long[] balances;
        /** Balances without the tentative changes of prepared transactions: what reads may see. */
        final long[] committed;
        final long initialSum;
        long crossNet;
        long modelSlot;
        final Map<Long, byte[]> chosen = new HashMap<>();
        final Map<Long, Integer> chosenBy = new HashMap<>();
        final Map<Long, Long> digests = new HashMap<>();
        final Set<RequestId> appliedOperations = new HashSet<>();
        final Map<RequestId, TxnRecord.State> txnStates = new LinkedHashMap<>();
        final Map<RequestId, List<ItemDelta>> txnDeltas = new HashMap<>();

        ClusterModel(int cluster, int items, long initialBalance, ShardMap shardMap) {
            this.cluster = cluster;
            this.balances = new long[items + 1];
            this.committed = new long[items + 1];
            long sum = 0;
            for (int item = 1; item <= items; item++) {
                if (shardMap.clusterOf(item).index() == cluster) {
                    balances[item] = initialBalance;
                    committed[item] = initialBalance;
                    sum += initialBalance;
                }
            }
            this.initialSum = sum;
        }
    }

    /** A committed balance of an item, from the time the model first applied the slot that set it. */
    private record Change(long atMs, long balance) {
    }

    private final BankConfig config;
    private final ShardMap shardMap;
    private final SimStats stats;
    private final LongSupplier clock;
    private final Map<Integer, List<Change>> history = new HashMap<>();
    private final Map<RequestId, Long> issuedAt = new HashMap<>();
    private final Map<Integer, ClusterModel> models = new HashMap<>();
    /** Every transaction's decision, as first applied in any cluster. */
    private final Map<RequestId, Outcome.Status> decisions = new LinkedHashMap<>();
    private final Map<RequestId, Integer> decidedFirstIn = new HashMap<>();
    private final Map<RequestId, Operation> issued = new LinkedHashMap<>();
    private final Map<RequestId, Outcome> answers = new LinkedHashMap<>();
    private final Map<RequestId, Integer> attempts = new HashMap<>();

    BankChecker(BankConfig config, ShardMap shardMap, SimStats stats, LongSupplier clock) {
        this.config = config;
        this.shardMap = shardMap;
        this.stats = stats;
        this.clock = clock;
        for (int c = 1; c <= config.clusters(); c++) {
            models.put(c, new ClusterModel(c, config.items(), config.initialBalance(), shardMap));
        }
        for (int item = 1; item <= config.items(); item++) {
            history.put(item, new ArrayList<>(List.of(new Change(0, config.initialBalance()))));
        }
    }

    void fail(String format, Object... args) {
        throw new ClusterChecker.Violation(String.format(format, args));
    }

    // ---------------------------------------------------------------- clients

    void issued(long clientId, Operation operation) {
        RequestId id = new RequestId(clientId, operation.sequence());
        issued.put(id, operation);
        issuedAt.put(id, clock.getAsLong());
    }

    /** A client got the final answer to an operation after {@code sends} sends. */
    void answered(long clientId, Operation operation, Outcome outcome, int sends) {
        RequestId id = new RequestId(clientId, operation.sequence());
        if (answers.putIfAbsent(id, outcome) != null) {
            fail("client %d got two final answers for %s", clientId, id);
        }
        attempts.put(id, sends);
        if (outcome.status() == Outcome.Status.OK) {
            checkRead(id, operation, outcome.balance());
        }
        List<Integer> touched = clustersOf(operation);
        if (touched.size() > 1 && outcome.status() != Outcome.Status.UNAVAILABLE) {
            checkNoLockLeft(id, touched, outcome);
        }
        if (touched.size() > 1 && outcome.status() == Outcome.Status.COMMITTED) {
            stats.crossCommitsAnswered++;
            stats.crossCommitAnswerMsTotal += clock.getAsLong() - issuedAt.get(id);
        }
        if (outcome.status() != Outcome.Status.COMMITTED) {
            return;
        }
        if (touched.size() == 1) {
            if (!models.get(touched.get(0)).appliedOperations.contains(id)) {
                fail("%s acknowledged COMMITTED but c%d never applied it", id, touched.get(0));
            }
        } else if (decisions.get(id) != Outcome.Status.COMMITTED) {
            fail("%s acknowledged COMMITTED but its decision is %s", id, decisions.get(id));
        }
    }

    /**
     * A client told how its transaction ended must find no lock of it anywhere: every cluster it
     * touches has decided it, or never prepared it. (An UNAVAILABLE answer may come from a node
     * that turned a retry away while the transaction goes on elsewhere.)
     */
    private void checkNoLockLeft(RequestId id, List<Integer> touched, Outcome outcome) {
        for (int cluster : touched) {
            TxnRecord.State state = models.get(cluster).txnStates.get(id);
            if (state != null && !state.isDecided()) {
                fail("%s answered %s while c%d still has it %s", id, outcome, cluster, state);
            }
        }
    }

    /**
     * A read's balance must be one the item had, committed, at some time between the read's first
     * send and its answer (a read from any replica: at any time before the answer).
     */
    private void checkRead(RequestId id, Operation operation, long balance) {
        int item = Operation.routingItem(operation);
        boolean fromAnyReplica = operation instanceof Operation.LocalRead read
                && read.consistency() == ReadConsistency.ANY;
        long from = fromAnyReplica ? Long.MIN_VALUE : issuedAt.get(id);
        long to = clock.getAsLong();
        List<Long> possible = new ArrayList<>();
        for (Change change : history.get(item)) {
            if (change.atMs() < from) {
                possible.clear();
            }
            if (change.atMs() <= to) {
                possible.add(change.balance());
            }
        }
        if (!possible.contains(balance)) {
            fail("%s %s read %d, but item %d was %s (committed) from %d to %d ms", id, operation, balance, item,
                    possible, from == Long.MIN_VALUE ? 0 : from, to);
        }
    }

    // ---------------------------------------------------------------- nodes

    /** A node's replica reported a slot chosen. */
    void chosen(BankNode node, SlotValue entry) {
        ClusterModel model = models.get(node.cluster);
        byte[] known = model.chosen.putIfAbsent(entry.slot(), entry.value());
        if (known == null) {
            model.chosenBy.put(entry.slot(), node.id);
        } else if (!Arrays.equals(known, entry.value())) {
            fail("c%d: slot %d chosen twice: n%d committed %s, n%d committed %s", node.cluster, entry.slot(),
                    model.chosenBy.get(entry.slot()), describe(known), node.id, describe(entry.value()));
        }
    }

    /** A node restored its shard from a checkpoint or a snapshot: it must equal what others had there. */
    void restored(BankNode node, ShardStateMachine machine) {
        ClusterModel model = models.get(node.cluster);
        long slot = machine.appliedSlot();
        if (slot > model.modelSlot) {
            fail("c%d: n%d restored a shard at slot %d that no node has applied (model at %d)", node.cluster,
                    node.id, slot, model.modelSlot);
        }
        compareDigest(model, node, slot, machine);
    }

    /** A node applied a slot; the first node to apply it moves the model on. */
    void applied(BankNode node, long slot, byte[] value, List<ShardStateMachine.Applied> effects,
            ShardStateMachine machine) {
        ClusterModel model = models.get(node.cluster);
        if (slot == model.modelSlot + 1) {
            advance(model, slot, value, effects);
            compareBalances(model, node, slot, machine);
        } else if (slot > model.modelSlot) {
            fail("c%d: n%d applied slot %d, but no node applied slot %d", node.cluster, node.id, slot, slot - 1);
        }
        compareDigest(model, node, slot, machine);
    }

    private void compareDigest(ClusterModel model, BankNode node, long slot, ShardStateMachine machine) {
        long digest = digest(machine);
        Long known = model.digests.putIfAbsent(slot, digest);
        if (known != null && known != digest) {
            fail("c%d: n%d has shard state %x after slot %d, another node had %x", node.cluster, node.id, digest,
                    slot, known);
        }
    }

    private void advance(ClusterModel model, long slot, byte[] value, List<ShardStateMachine.Applied> effects) {
        model.modelSlot = slot;
        Map<RequestId, LoggedOperation> operations = new HashMap<>();
        for (LogCommand command : BatchCodec.decode(value)) {
            if (command instanceof LoggedOperation logged) {
                operations.put(logged.requestId(), logged);
            }
        }
        for (ShardStateMachine.Applied applied : effects) {
            if (applied instanceof ShardStateMachine.ClientOutcome result) {
                RequestId id = new RequestId(result.clientId(), result.outcome().sequence());
                LoggedOperation logged = operations.get(id);
                if (logged != null && result.outcome().status() == Outcome.Status.COMMITTED
                        && model.appliedOperations.add(id)) {
                    move(model, Operation.deltasOf(logged.operation()), 1);
                    commit(model, Operation.deltasOf(logged.operation()));
                }
            } else if (applied instanceof ShardStateMachine.VoteLogged voted) {
                onVote(model, slot, voted.record());
            } else if (applied instanceof ShardStateMachine.DecisionApplied decided) {
                onDecision(model, slot, decided);
            }
        }
    }

    private void onVote(ClusterModel model, long slot, TxnRecord record) {
        // The record is the shard's live object: a decision later in the same slot has moved it on
        // already, but only a prepared record keeps undo values.
        boolean prepared = !record.undo().isEmpty();
        TxnRecord.State state = prepared ? TxnRecord.State.PREPARED : TxnRecord.State.REFUSED;
        TxnRecord.State prior = model.txnStates.putIfAbsent(record.txn(), state);
        if (prior != null) {
            fail("c%d: transaction %s prepared a second time in slot %d (it was %s)", model.cluster, record.txn(),
                    slot, prior);
        }
        if (prepared) {
            model.txnDeltas.put(record.txn(), record.deltas());
            move(model, record.deltas(), 1);
            model.crossNet += sum(record.deltas());
        }
    }

    private void onDecision(ClusterModel model, long slot, ShardStateMachine.DecisionApplied decided) {
        RequestId txn = decided.txn();
        boolean commit = decided.status() == Outcome.Status.COMMITTED;
        Outcome.Status first = decisions.putIfAbsent(txn, decided.status());
        if (first == null) {
            decidedFirstIn.put(txn, model.cluster);
        } else if ((first == Outcome.Status.COMMITTED) != commit) {
            fail("transaction %s decided %s in c%d and %s in c%d (slot %d)", txn, first, decidedFirstIn.get(txn),
                    decided.status(), model.cluster, slot);
        }
        TxnRecord.State prior = model.txnStates.get(txn);
        if (decided.record() == null) {
            if (prior != null && !prior.isDecided()) {
                fail("c%d: transaction %s is %s here but its decision found no record (slot %d)", model.cluster, txn,
                        prior, slot);
            }
            return;
        }
        if (prior == null && !commit && decided.record().undo().isEmpty()) {
            // The coordinator's own prepare after a presumed abort: decided at once, nothing applied.
            model.txnStates.put(txn, TxnRecord.State.ABORTED);
            return;
        }
        if (prior == null || prior.isDecided()) {
            fail("c%d: transaction %s decided %s in slot %d while the model has it %s", model.cluster, txn,
                    decided.status(), slot, prior);
        }
        if (commit && prior == TxnRecord.State.REFUSED) {
            fail("c%d: transaction %s committed where it was refused (slot %d)", model.cluster, txn, slot);
        }
        if (!commit && prior == TxnRecord.State.PREPARED) {
            List<ItemDelta> deltas = model.txnDeltas.get(txn);
            move(model, deltas, -1);
            model.crossNet -= sum(deltas);
        } else if (commit && prior == TxnRecord.State.PREPARED) {
            commit(model, model.txnDeltas.get(txn));
        }
        model.txnStates.put(txn, commit ? TxnRecord.State.COMMITTED : TxnRecord.State.ABORTED);
    }

    /** Deltas become visible to reads: the item's committed balance changes now. */
    private void commit(ClusterModel model, List<ItemDelta> deltas) {
        for (ItemDelta delta : deltas) {
            model.committed[delta.item()] += delta.delta();
        }
        for (ItemDelta delta : deltas) {
            history.get(delta.item()).add(new Change(clock.getAsLong(), model.committed[delta.item()]));
        }
    }

    private void move(ClusterModel model, List<ItemDelta> deltas, int sign) {
        for (ItemDelta delta : deltas) {
            model.balances[delta.item()] += sign * delta.delta();
        }
    }

    private void compareBalances(ClusterModel model, BankNode node, long slot, ShardStateMachine machine) {
        long sum = 0;
        for (int item = 1; item <= config.items(); item++) {
            if (!machine.owns(item)) {
                continue;
            }
            long balance = machine.balance(item);
            if (balance < 0) {
                fail("c%d: item %d is %d after slot %d on n%d", model.cluster, item, balance, slot, node.id);
            }
            if (balance != model.balances[item]) {
                fail("c%d: item %d is %d after slot %d on n%d, but the operations and transactions applied add up"
                        + " to %d (applied twice, or an undo lost?)", model.cluster, item, balance, slot, node.id,
                        model.balances[item]);
            }
            sum += balance;
        }
        if (sum != model.initialSum + model.crossNet) {
            fail("c%d: balances add up to %d after slot %d, expected %d + %d of transactions under way",
                    model.cluster, sum, slot, model.initialSum, model.crossNet);
        }
    }

    // ---------------------------------------------------------------- the end

    /** After the liveness phase: every transaction decided everywhere, money conserved, answers true. */
    void finalChecks(List<BankNode> nodes) {
        long total = 0;
        long initial = 0;
        for (ClusterModel model : models.values()) {
            initial += model.initialSum;
            for (int item = 1; item <= config.items(); item++) {
                total += shardMap.clusterOf(item).index() == model.cluster ? model.balances[item] : 0;
            }
            model.txnStates.forEach((txn, state) -> {
                if (!state.isDecided()) {
                    fail("c%d: transaction %s still %s at the end", model.cluster, txn, state);
                }
            });
        }
        for (BankNode node : nodes) {
            ShardStateMachine machine = node.machine();
            if (machine.lockCount() != 0 || !machine.txns().isEmpty()) {
                fail("n%d ends with %d locks and transactions %s", node.id, machine.lockCount(),
                        machine.txns().stream().map(r -> r.txn() + " " + r.state()).toList());
            }
        }
        if (total != initial) {
            fail("money not conserved: %d at the end, %d at the start", total, initial);
        }
        decisions.forEach(this::checkDecisionEverywhere);
        answers.forEach(this::checkAnswer);
        if (answers.size() != issued.size()) {
            fail("%d operations issued, %d answered", issued.size(), answers.size());
        }
    }

    private void checkDecisionEverywhere(RequestId txn, Outcome.Status status) {
        Operation operation = issued.get(txn);
        if (operation == null || status != Outcome.Status.COMMITTED) {
            return;
        }
        for (int cluster : clustersOf(operation)) {
            if (models.get(cluster).txnStates.get(txn) != TxnRecord.State.COMMITTED) {
                fail("transaction %s committed, but c%d has it %s", txn, cluster,
                        models.get(cluster).txnStates.get(txn));
            }
        }
    }

    private void checkAnswer(RequestId id, Outcome outcome) {
        Operation operation = issued.get(id);
        boolean applied = tookEffect(id, operation);
        switch (outcome.status()) {
            case COMMITTED -> {
                if (!applied) {
                    fail("%s acknowledged COMMITTED but did not take effect everywhere", id);
                }
            }
            case ABORTED, REJECTED -> {
                if (applied || leftTrace(id)) {
                    fail("%s answered %s (%s) but took effect", id, outcome.status(), outcome.reason());
                }
            }
            case UNAVAILABLE -> {
                if (applied || leftTrace(id)) {
                    if (attempts.get(id) == 1) {
                        fail("%s answered UNAVAILABLE (%s) at its only attempt, but took effect", id,
                                outcome.reason());
                    }
                    stats.unavailableButApplied++;
                }
            }
            default -> {
            }
        }
        if (clustersOf(operation).size() > 1 && !(operation instanceof Operation.BalanceRead)) {
            if (outcome.status() == Outcome.Status.COMMITTED) {
                stats.transactionsCommitted++;
            } else if (outcome.status() == Outcome.Status.ABORTED || outcome.status() == Outcome.Status.UNAVAILABLE) {
                stats.transactionsAborted++;
            }
        }
    }

    /** Whether an operation's deltas are applied (in every cluster it touches, for a transaction). */
    private boolean tookEffect(RequestId id, Operation operation) {
        List<Integer> touched = clustersOf(operation);
        if (touched.isEmpty()) {
            return false;
        }
        if (touched.size() == 1) {
            return models.get(touched.get(0)).appliedOperations.contains(id);
        }
        for (int cluster : touched) {
            if (models.get(cluster).txnStates.get(id) != TxnRecord.State.COMMITTED) {
                return false;
            }
        }
        return true;
    }

    /** Whether any cluster kept any delta of the operation. */
    private boolean leftTrace(RequestId id) {
        for (ClusterModel model : models.values()) {
            if (model.appliedOperations.contains(id) || model.txnStates.get(id) == TxnRecord.State.COMMITTED) {
                return true;
            }
        }
        return false;
    }

    private List<Integer> clustersOf(Operation operation) {
        TreeSet<Integer> clusters = new TreeSet<>();
        for (ItemDelta delta : Operation.deltasOf(operation)) {
            if (shardMap.hasItem(delta.item())) {
                clusters.add(shardMap.clusterOf(delta.item()).index());
            }
        }
        return new ArrayList<>(clusters);
    }

    /** The final balances of the model, by item. */
    long modelBalance(int item) {
        return models.get(shardMap.clusterOf(item).index()).balances[item];
    }

    // ---------------------------------------------------------------- helpers

    private long digest(ShardStateMachine machine) {
        long hash = machine.appliedSlot();
        for (int item = 1; item <= config.items(); item++) {
            if (machine.owns(item)) {
                hash = hash * 31 + machine.balance(item);
            }
        }
        for (TxnRecord record : machine.txns()) {
            hash = hash * 31 + record.txn().hashCode();
            hash = hash * 31 + record.state().ordinal();
        }
        hash = hash * 31 + machine.lockCount();
        long sessions = 0;
        for (RequestId id : issued.keySet()) {
            // Order-free, and blind to operations that no slot has seen yet.
            Outcome outcome = machine.outcomeOf(id);
            if (outcome != null) {
                sessions += (id.hashCode() * 1_000_003L) ^ (outcome.status().ordinal() + 1);
            }
            Outcome.Status forgotten = machine.forgottenDecision(id);
            if (forgotten != null) {
                sessions += (id.hashCode() * 999_983L) ^ (forgotten.ordinal() + 7);
            }
        }
        return hash * 31 + sessions;
    }

    private static long sum(List<ItemDelta> deltas) {
        long sum = 0;
        for (ItemDelta delta : deltas) {
            sum += delta.delta();
        }
        return sum;
    }

    private static String describe(byte[] value) {
        return value.length == 0 ? "no-op" : BatchCodec.decode(value).toString();
    }
}
