package io.shardbank.paxos;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link PaxosReplica} asks its host to do after one or more inputs, in this order:
 * <ol>
 *   <li>send {@link #sendNow} (a leader's accepts need not wait for its own disk);</li>
 *   <li>make {@link #promised}, {@link #accepted} and {@link #commitIndex} durable;</li>
 *   <li>then send {@link #sendAfterPersist} (promises and accepted votes must never precede the
 *       write they report; a message to the replica itself is handed back to it);</li>
 *   <li>apply {@link #committed} in slot order (chosen values are durable on a majority already).</li>
 * </ol>
 */
public final class Ready {

    /** A message and the node index it goes to. */
    public record Outbound(int to, PaxosMessage message) {
    }

    /** The promise to persist, or null when unchanged. */
    public Ballot promised;
    /** Accepted (or learned chosen) values to persist. */
    public final List<SlotValue> accepted = new ArrayList<>();
    /** The commit index to persist, or -1 when unchanged. */
    public long commitIndex = -1;
    public final List<Outbound> sendNow = new ArrayList<>();
    public final List<Outbound> sendAfterPersist = new ArrayList<>();
    /** Newly chosen values, contiguous and in slot order. */
    public final List<SlotValue> committed = new ArrayList<>();
    /** NEW-VIEW messages this replica sent as a new leader or accepted from one. */
    public final List<PaxosMessage.NewView> views = new ArrayList<>();
    /** Nodes that asked for slots this replica has compacted: send them a snapshot. */
    public final List<Integer> snapshotRequests = new ArrayList<>();
    /** Leadership changed in this step: the host re-routes or fails its queued client requests. */
    public boolean leadershipChanged;

    public boolean needsPersist() {
        return promised != null || !accepted.isEmpty() || commitIndex >= 0;
    }

    public boolean isEmpty() {
        return !needsPersist() && sendNow.isEmpty() && sendAfterPersist.isEmpty() && committed.isEmpty()
                && views.isEmpty() && snapshotRequests.isEmpty() && !leadershipChanged;
    }
}
