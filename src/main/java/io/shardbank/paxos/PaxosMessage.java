package io.shardbank.paxos;

import io.shardbank.model.NodeMessage;
import io.shardbank.model.WireMessage;
import java.util.List;

/**
 * The Multi-Paxos protocol between the nodes of one cluster. Requests and replies come in pairs:
 * {@link Phase1Prepare}/{@link Promise}, {@link Accept} (and {@link NewView})/{@link Accepted},
 * {@link CatchupRequest}/{@link CatchupReply}; {@link Rejected} answers any request whose ballot is
 * stale; {@link Heartbeat} carries the leader's commit index. {@code from} is the sender's node index.
 */
public sealed interface PaxosMessage extends NodeMessage, WireMessage {

    int from();

    /** Candidate to every acceptor of its cluster: promise me {@code ballot} for slots from {@code fromSlot}. */
    record Phase1Prepare(int from, Ballot ballot, long fromSlot) implements PaxosMessage {
    }

    /**
     * Acceptor to candidate, after the promise is durable: every value it accepted at or above the
     * candidate's {@code fromSlot}. {@code compactedThrough} tells the candidate which slots the
     * acceptor only holds as a snapshot.
     */
    record Promise(int from, Ballot ballot, long commitIndex, long compactedThrough, List<SlotValue> accepted)
            implements PaxosMessage {
    }

    /** Acceptor to a proposer whose ballot is below its promise. */
    record Rejected(int from, Ballot promised) implements PaxosMessage {
    }

    /**
     * Leader to acceptors: accept these values at {@code ballot}; everything up to {@code commitIndex}
     * is chosen. {@code sentAtMs} is the leader's clock when it sent this, echoed in the answer.
     */
    record Accept(int from, Ballot ballot, List<SlotValue> entries, long commitIndex, long sentAtMs)
            implements PaxosMessage {
    }

    /**
     * A new leader's first phase-2 message: the values it re-proposes (highest-ballot accepted value
     * per slot, no-ops in the gaps) for every slot above its commit index. Acceptors treat it as an
     * {@link Accept}; it is recorded for PrintView.
     */
    record NewView(int from, Ballot ballot, List<SlotValue> entries, long commitIndex, long sentAtMs)
            implements PaxosMessage {
    }

    /**
     * Acceptor to leader, after the accepts are durable (or at once, with no slots, for a heartbeat).
     * {@code leaderSentAtMs} echoes the {@code sentAtMs} of the message it answers: the leader counts
     * its contact with this acceptor from when it sent that message, not from when the answer
     * arrived, since an answer can arrive late (after a pause of the leader's process, say) and must
     * not make an old contact look fresh.
     */
    record Accepted(int from, Ballot ballot, long[] slots, long leaderSentAtMs) implements PaxosMessage {
    }

    /**
     * Leader to followers, when idle: I still lead; everything up to {@code commitIndex} is chosen.
     * {@code sentAtMs} as in {@link Accept}.
     */
    record Heartbeat(int from, Ballot ballot, long commitIndex, long sentAtMs) implements PaxosMessage {
    }

    /** A node that misses chosen slots to one that has them: send me the chosen values from {@code fromSlot}. */
    record CatchupRequest(int from, long fromSlot) implements PaxosMessage {
    }

    /**
     * Chosen values from the requested slot on (at most a bounded number), and the sender's commit
     * index. When the requested slots were compacted, the sender ships a snapshot instead (outside
     * this protocol, because a snapshot is the state machine's).
     */
    record CatchupReply(int from, List<SlotValue> chosen, long commitIndex) implements PaxosMessage {
    }
}
