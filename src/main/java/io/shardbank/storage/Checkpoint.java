package io.shardbank.storage;

import java.util.HashMap;
import java.util.Map;

/**
 * The shard state as of {@code appliedSlot}: the balances that changed since the previous
 * checkpoint (or all of them, when {@code complete}), the rest of the state machine as bytes, and
 * the slot through which the Paxos log may be dropped.
 */
public record Checkpoint(long appliedSlot, Map<Integer, Long> balances, boolean complete, byte[] sessions,
        long compactThrough) {

    Checkpoint followedBy(Checkpoint next) {
        if (next.complete) {
            return next;
        }
        Map<Integer, Long> merged = new HashMap<>(balances);
        merged.putAll(next.balances);
        return new Checkpoint(next.appliedSlot, merged, complete, next.sessions,
                Math.max(compactThrough, next.compactThrough));
    }
}
