package io.shardbank.shard;

import io.shardbank.model.RequestId;
import java.util.List;

/**
 * What one entry of a Paxos slot's batch asks the shard to do. A client operation runs in one
 * step; a cross-cluster transaction takes a {@link TxnPrepared} and a {@link TxnDecided} in every
 * cluster it touches, and a {@link TxnEnded} in its coordinator's cluster once every participant has
 * acknowledged the decision.
 */
public sealed interface LogCommand permits LoggedOperation, LogCommand.TxnPrepared, LogCommand.TxnDecided,
        LogCommand.TxnEnded {

    /**
     * Check and lock this cluster's items of transaction {@code txn}, apply its deltas tentatively
     * and keep their old values (the undo record); or refuse, when an item is locked or a balance
     * would go below zero. The coordinator's cluster logs it with every participant cluster listed.
     * A migration's prepare carries its {@link Handover} instead of deltas (null for a transfer).
     */
    record TxnPrepared(RequestId txn, int coordinatorCluster, List<Integer> participantClusters,
            List<ItemDelta> deltas, Handover handover) implements LogCommand {

        public TxnPrepared(RequestId txn, int coordinatorCluster, List<Integer> participantClusters,
                List<ItemDelta> deltas) {
            this(txn, coordinatorCluster, participantClusters, deltas, null);
        }
    }

    /**
     * The outcome of transaction {@code txn}: commit keeps the tentative values and releases the
     * locks; abort restores the undo record first. {@code status} is what the client is told
     * (COMMITTED, ABORTED or UNAVAILABLE).
     */
    record TxnDecided(RequestId txn, Outcome.Status status, String reason) implements LogCommand {
        public boolean commit() {
            return status == Outcome.Status.COMMITTED;
        }
    }

    /** Every participant acknowledged the decision of {@code txn}: the coordinator forgets it. */
    record TxnEnded(RequestId txn) implements LogCommand {
    }
}
