package io.shardbank.txn;

import io.shardbank.model.NodeMessage;
import io.shardbank.model.RequestId;
import io.shardbank.model.WireMessage;
import io.shardbank.shard.Handover;
import io.shardbank.shard.ItemDelta;
import io.shardbank.shard.Outcome;
import io.shardbank.shard.Redirect;
import io.shardbank.shard.Vote;
import java.util.List;

/**
 * Two-phase commit between the leaders of the clusters a transaction touches. Requests and replies
 * come in pairs: {@link TxnPrepare}/{@link TxnVote}, {@link TxnDecision}/{@link TxnAck}; a
 * participant that waits too long for the decision asks with {@link TxnStatusQuery} and is answered
 * with a {@link TxnDecision}. {@code fromNode} is the sender's node index; a node that does not lead
 * its cluster forwards the message to the node it believes leads.
 */
public sealed interface TxnMessage extends NodeMessage, WireMessage {

    RequestId txn();

    int fromNode();

    /**
     * Coordinator leader to a participant cluster: prepare your part ({@code deltas}, or for a
     * migration the {@code handover} with the values the source froze) of {@code txn}.
     */
    record TxnPrepare(RequestId txn, int coordinatorCluster, int fromNode, List<Integer> participantClusters,
            List<ItemDelta> deltas, Handover handover) implements TxnMessage {

        public TxnPrepare(RequestId txn, int coordinatorCluster, int fromNode, List<Integer> participantClusters,
                List<ItemDelta> deltas) {
            this(txn, coordinatorCluster, fromNode, participantClusters, deltas, null);
        }
    }

    /**
     * Participant leader to coordinator, once its prepared (or refused) entry is chosen; or at once,
     * {@link Vote#NO_MAJORITY} when the participant cluster cannot commit. A {@link Vote#MOVED} vote
     * says where the item went ({@code redirect}).
     */
    record TxnVote(RequestId txn, int cluster, int fromNode, Vote vote, String reason, Redirect redirect)
            implements TxnMessage {

        public TxnVote(RequestId txn, int cluster, int fromNode, Vote vote, String reason) {
            this(txn, cluster, fromNode, vote, reason, null);
        }

        public boolean yes() {
            return vote == Vote.YES;
        }
    }

    /** Coordinator leader to a participant, after the decision is chosen in the coordinator's log. */
    record TxnDecision(RequestId txn, int coordinatorCluster, int fromNode, Outcome.Status status, String reason)
            implements TxnMessage {
        public boolean commit() {
            return status == Outcome.Status.COMMITTED;
        }
    }

    /** Participant leader to coordinator, once the decision is applied in the participant's log. */
    record TxnAck(RequestId txn, int cluster, int fromNode) implements TxnMessage {
    }

    /** Participant leader to the coordinator cluster: what was decided for {@code txn}? */
    record TxnStatusQuery(RequestId txn, int cluster, int fromNode) implements TxnMessage {
    }
}
