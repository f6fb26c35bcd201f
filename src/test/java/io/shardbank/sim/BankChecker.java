package io.shardbank.sim;

import io.shardbank.model.RequestId;
import io.shardbank.model.ShardMap;
import io.shardbank.paxos.SlotValue;
import io.shardbank.shard.BatchCodec;
import io.shardbank.shard.Handover;
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
 *
 * <p>Migrations move items between clusters. Every item has exactly one owner at every decided
 * map: the source's commit gives it to the target at once (in transit until the target applies the
 * same decision), no cluster ever holds an item another holds, an operation is applied and a
 * transaction prepared only where its items are owned, the target installs exactly the balances the
 * source froze, and an operation runs in one cluster at most however often it is redirected.
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
        final Map<RequestId, Handover> handovers = new HashMap<>();
        /** The items this cluster owns after the model's slot. */
        final boolean[] owns;

        ClusterModel(int cluster, int items, long initialBalance, ShardMap shardMap) {
            this.cluster = cluster;
            this.balances = new long[items + 1];
            this.committed = new long[items + 1];
            this.owns = new boolean[items + 1];
            long sum = 0;
            for (int item = 1; item <= items; item++) {
                if (shardMap.clusterOf(item).index() == cluster) {
                    balances[item] = initialBalance;
                    committed[item] = initialBalance;
                    owns[item] = true;
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
    /** Every item's owner as decided: a committed migration moves it when its source applies the decision. */
    private final int[] owner;
    /** Items whose migration committed at the source and is not yet applied at the target. */
    private final Set<Integer> inTransit = new TreeSet<>();
    /** The balances the model had when a migration's source froze them. */
    private final Map<RequestId, Map<Integer, Long>> frozen = new HashMap<>();
    /** Clusters a transaction involves, as its coordinator logged them. */
    private final Map<RequestId, List<Integer>> txnClusters = new HashMap<>();

    BankChecker(BankConfig config, ShardMap shardMap, SimStats stats, LongSupplier clock) {
        this.config = config;
        this.shardMap = shardMap;
        this.stats = stats;
        this.clock = clock;
        this.owner = shardMap.owners();
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
        List<Integer> touched = txnClusters.getOrDefault(id, List.of());
        if (!touched.isEmpty() && outcome.status() != Outcome.Status.UNAVAILABLE) {
            checkNoLockLeft(id, touched, outcome);
        }
        if (touched.size() > 1 && outcome.status() == Outcome.Status.COMMITTED) {
            stats.crossCommitsAnswered++;
            stats.crossCommitAnswerMsTotal += clock.getAsLong() - issuedAt.get(id);
        }
        if (outcome.status() != Outcome.Status.COMMITTED) {
            return;
        }
        if (touched.isEmpty()) {
            if (appliedIn(id) == 0) {
                fail("%s acknowledged COMMITTED but no cluster applied it", id);
            }
        } else if (decisions.get(id) != Outcome.Status.COMMITTED) {
            fail("%s acknowledged COMMITTED but its decision is %s", id, decisions.get(id));
        }
    }

    /** The cluster that applied a one-cluster operation, or 0. */
    private int appliedIn(RequestId id) {
        for (ClusterModel model : models.values()) {
            if (model.appliedOperations.contains(id)) {
                return model.cluster;
            }
        }
        return 0;
    }

    /** Each item's owner as decided so far. */
    int ownerOf(int item) {
        return owner[item];
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
                        && !model.appliedOperations.contains(id)) {
                    int elsewhere = appliedIn(id);
                    if (elsewhere != 0) {
                        fail("%s applied in c%d (slot %d) after it was applied in c%d", id, model.cluster, slot,
                                elsewhere);
                    }
                    model.appliedOperations.add(id);
                    List<ItemDelta> deltas = Operation.deltasOf(logged.operation());
                    requireOwned(model, deltas.stream().map(ItemDelta::item).toList(), id, slot);
                    move(model, deltas, 1);
                    commit(model, deltas);
                }
            } else if (applied instanceof ShardStateMachine.VoteLogged voted) {
                onVote(model, slot, voted.record(), voted.yes());
            } else if (applied instanceof ShardStateMachine.DecisionApplied decided) {
                onDecision(model, slot, decided);
            }
        }
    }

    private void requireOwned(ClusterModel model, List<Integer> items, RequestId id, long slot) {
        for (int item : items) {
            if (!model.owns[item]) {
                fail("c%d applied %s in slot %d to item %d, which it does not own (owner c%d)", model.cluster, id,
                        slot, item, owner[item]);
            }
        }
    }

    private void onVote(ClusterModel model, long slot, TxnRecord record, boolean prepared) {
        // The record is the shard's live object: a decision later in the same slot has moved it on already.
        TxnRecord.State state = prepared ? TxnRecord.State.PREPARED : TxnRecord.State.REFUSED;
        TxnRecord.State prior = model.txnStates.putIfAbsent(record.txn(), state);
        if (prior != null) {
            fail("c%d: transaction %s prepared a second time in slot %d (it was %s)", model.cluster, record.txn(),
                    slot, prior);
        }
        if (record.coordinatedBy(model.cluster)) {
            List<Integer> involved = new ArrayList<>(record.participantClusters());
            involved.add(0, model.cluster);
            txnClusters.put(record.txn(), involved);
        }
        if (record.handover() != null) {
            onHandoverVote(model, slot, record, prepared);
            return;
        }
        if (prepared) {
            requireOwned(model, record.deltas().stream().map(ItemDelta::item).toList(), record.txn(), slot);
            model.txnDeltas.put(record.txn(), record.deltas());
            move(model, record.deltas(), 1);
            model.crossNet += sum(record.deltas());
        }
    }

    /**
     * A migration's prepare: the source must own the items and record exactly the model's balances;
     * the target must own none of them and hold exactly what the source froze.
     */
    private void onHandoverVote(ClusterModel model, long slot, TxnRecord record, boolean prepared) {
        Handover handover = record.handover();
        model.handovers.put(record.txn(), handover);
        if (!prepared) {
            return;
        }
        if (handover.isSource(model.cluster)) {
            requireOwned(model, handover.items(), record.txn(), slot);
            Map<Integer, Long> values = new HashMap<>();
            handover.items().forEach(item -> values.put(item, model.balances[item]));
            if (!values.equals(record.undo())) {
                fail("c%d froze %s for migration %s, but its balances are %s", model.cluster, record.undo(),
                        record.txn(), values);
            }
            frozen.put(record.txn(), values);
            return;
        }
        for (int item : handover.items()) {
            if (model.owns[item]) {
                fail("c%d prepared to take over item %d (migration %s), which it owns already", model.cluster, item,
                        record.txn());
            }
        }
        if (!handover.values().equals(frozen.get(record.txn()))) {
            fail("c%d prepared migration %s with %s, but the source froze %s", model.cluster, record.txn(),
                    handover.values(), frozen.get(record.txn()));
        }
    }

    /** A committed migration applied in one of its two clusters. */
    private void onHandoverCommit(ClusterModel model, RequestId txn, long slot) {
        Handover handover = model.handovers.get(txn);
        boolean source = handover.isSource(model.cluster);
        for (int item : handover.items()) {
            if (source) {
                owner[item] = handover.toCluster();
                inTransit.add(item);
                model.crossNet -= model.balances[item];
                model.balances[item] = 0;
                model.committed[item] = 0;
                model.owns[item] = false;
                stats.itemsMoved++;
                continue;
            }
            for (ClusterModel other : models.values()) {
                if (other.owns[item]) {
                    fail("c%d took over item %d in slot %d (migration %s) while c%d still owns it", model.cluster,
                            item, slot, txn, other.cluster);
                }
            }
            if (owner[item] != model.cluster || !inTransit.remove(item)) {
                fail("c%d took over item %d in slot %d (migration %s), but its decided owner is c%d", model.cluster,
                        item, slot, txn, owner[item]);
            }
            long value = frozen.get(txn).get(item);
            model.balances[item] = value;
            model.committed[item] = value;
            model.crossNet += value;
            model.owns[item] = true;
        }
        if (source) {
            stats.migrationsCommitted++;
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
        if (model.handovers.containsKey(txn)) {
            if (commit) {
                onHandoverCommit(model, txn, slot);
            } else if (decided.record().handover().isSource(model.cluster)) {
                stats.migrationsAborted++;
            }
        } else if (!commit && prior == TxnRecord.State.PREPARED) {
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
            if (machine.owns(item) != model.owns[item]) {
                fail("c%d: n%d %s item %d after slot %d, but the migrations applied say it %s", model.cluster,
                        node.id, machine.owns(item) ? "owns" : "does not own", item, slot,
                        model.owns[item] ? "does" : "does not");
            }
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
        if (!inTransit.isEmpty()) {
            fail("items %s are still on their way to their new owners at the end", inTransit);
        }
        for (int item = 1; item <= config.items(); item++) {
            for (ClusterModel model : models.values()) {
                if (model.owns[item] != (owner[item] == model.cluster)) {
                    fail("item %d is owned by c%d, but c%d %s it at the end", item, owner[item], model.cluster,
                            model.owns[item] ? "owns" : "does not own");
                }
            }
        }
        for (ClusterModel model : models.values()) {
            initial += model.initialSum;
            for (int item = 1; item <= config.items(); item++) {
                total += owner[item] == model.cluster ? model.balances[item] : 0;
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
        for (int cluster : txnClusters.getOrDefault(txn, List.of())) {
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
            case ABORTED, REJECTED, MOVED -> {
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
        if (txnClusters.getOrDefault(id, List.of()).size() > 1 && !(operation instanceof Operation.Migrate)) {
            if (outcome.status() == Outcome.Status.COMMITTED) {
                stats.transactionsCommitted++;
            } else if (outcome.status() == Outcome.Status.ABORTED || outcome.status() == Outcome.Status.UNAVAILABLE) {
                stats.transactionsAborted++;
            }
        }
    }

    /** Whether an operation's deltas are applied (in every cluster it touches, for a transaction). */
    private boolean tookEffect(RequestId id, Operation operation) {
        List<Integer> touched = txnClusters.getOrDefault(id, List.of());
        if (touched.isEmpty()) {
            return appliedIn(id) != 0;
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
        hash = hash * 31 + machine.shardMap().hashCode();
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
