package io.shardbank.shard;

import io.shardbank.model.Invariants;
import io.shardbank.model.RequestId;
import java.util.List;
import java.util.Map;

/**
 * A cross-cluster transaction as one cluster's shard knows it: its items' deltas, the undo record
 * (the old balances, which is the write-ahead log of the tentative changes) and where it stands. A
 * migration's record has a {@link Handover} instead of deltas: at the source the undo record holds
 * the frozen balances, at the target the handover's values wait there inactive.
 */
public final class TxnRecord {

    /** Where a transaction stands in one cluster; transitions are checked. */
    public enum State {
        /** Locked and tentatively applied; voted yes. */
        PREPARED,
        /** Could not prepare (lock conflict, insufficient funds); voted no; holds no locks. */
        REFUSED,
        /** Decided and applied here; the coordinator keeps it until every participant acknowledged. */
        COMMITTED,
        ABORTED;

        boolean canBecome(State next) {
            return switch (this) {
                case PREPARED -> next == COMMITTED || next == ABORTED;
                case REFUSED -> next == ABORTED;
                case COMMITTED, ABORTED -> false;
            };
        }

        public boolean isDecided() {
            return this == COMMITTED || this == ABORTED;
        }
    }

    private final RequestId txn;
    private final int coordinatorCluster;
    private final List<Integer> participantClusters;
    private final List<ItemDelta> deltas;
    private final Map<Integer, Long> undo;
    private final Handover handover;
    /** For a refused record whose item lives elsewhere: where it went (its vote is MOVED), else null. */
    private final Redirect redirect;
    private State state;
    private String reason;
    private Outcome.Status decidedStatus;

    TxnRecord(RequestId txn, int coordinatorCluster, List<Integer> participantClusters, List<ItemDelta> deltas,
            Map<Integer, Long> undo, State state, String reason) {
        this(txn, coordinatorCluster, participantClusters, deltas, undo, null, null, state, reason);
    }

    TxnRecord(RequestId txn, int coordinatorCluster, List<Integer> participantClusters, List<ItemDelta> deltas,
            Map<Integer, Long> undo, Handover handover, Redirect redirect, State state, String reason) {
        this.txn = txn;
        this.coordinatorCluster = coordinatorCluster;
        this.participantClusters = List.copyOf(participantClusters);
        this.deltas = List.copyOf(deltas);
        this.undo = Map.copyOf(undo);
        this.handover = handover;
        this.redirect = redirect;
        this.state = state;
        this.reason = reason;
    }

    void moveTo(State next, Outcome.Status status, String why) {
        Invariants.check(state.canBecome(next), "transaction %s cannot go from %s to %s", txn, state, next);
        state = next;
        decidedStatus = status;
        reason = why;
    }

    void restoreDecision(Outcome.Status status) {
        decidedStatus = status;
    }

    public RequestId txn() {
        return txn;
    }

    public int coordinatorCluster() {
        return coordinatorCluster;
    }

    public List<Integer> participantClusters() {
        return participantClusters;
    }

    public List<ItemDelta> deltas() {
        return deltas;
    }

    public Map<Integer, Long> undo() {
        return undo;
    }

    /** The migration this record is part of, or null for a transfer. */
    public Handover handover() {
        return handover;
    }

    /** Where the item that made this cluster refuse went, or null. */
    public Redirect redirect() {
        return redirect;
    }

    /** This cluster's vote: yes, no, or moved (no, with where the item went). */
    public Vote vote() {
        if (votedYes()) {
            return Vote.YES;
        }
        return redirect != null ? Vote.MOVED : Vote.NO;
    }

    /**
     * The items this record locks while prepared: those it changes, those a source freezes, those a
     * target holds for the handover.
     */
    public java.util.Set<Integer> lockedItems() {
        if (handover != null) {
            return java.util.Set.copyOf(handover.items());
        }
        return undo.keySet();
    }

    public State state() {
        return state;
    }

    public String reason() {
        return reason;
    }

    /** For a decided transaction: what its client is told. */
    public Outcome.Status decidedStatus() {
        return decidedStatus;
    }

    public boolean coordinatedBy(int cluster) {
        return coordinatorCluster == cluster;
    }

    public boolean votedYes() {
        return state == State.PREPARED || state == State.COMMITTED;
    }
}
