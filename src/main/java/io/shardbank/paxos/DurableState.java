package io.shardbank.paxos;

import java.util.List;

/**
 * What a replica finds on its disk at start: its promise, the values it accepted above its last
 * snapshot, the highest slot it knows chosen, and the slot its snapshot covers.
 */
public record DurableState(Ballot promised, List<SlotValue> accepted, long commitIndex, long compactedThrough) {

    public static DurableState empty() {
        return new DurableState(Ballot.ZERO, List.of(), 0, 0);
    }

    public boolean isEmpty() {
        return promised.equals(Ballot.ZERO) && accepted.isEmpty() && commitIndex == 0 && compactedThrough == 0;
    }
}
