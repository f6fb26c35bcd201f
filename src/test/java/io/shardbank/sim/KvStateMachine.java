package io.shardbank.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The replicated state machine of this stage: it applies client commands in slot order, keeps a
 * running hash and the applied list, and a dedup table so that a command chosen twice (a client
 * retry) applies once. Deduplication can be switched off to plant a bug.
 */
final class KvStateMachine {

    /** What applying one command did. */
    enum Effect { APPLIED, DUPLICATE_SKIPPED, APPLIED_AGAIN }

    /** A durable copy of the state as of {@code slot}. */
    record Snapshot(long slot, long digest, List<Command.Id> applied, Map<Integer, Long> lastSeqByClient) {
        @Override
        public String toString() {
            return "Snapshot[slot=" + slot + ", digest=" + Long.toHexString(digest) + ", applied=" + applied.size() + "]";
        }
    }

    private final boolean dedup;
    private long slot;
    private long digest;
    private final List<Command.Id> applied = new ArrayList<>();
    private final Set<Command.Id> appliedSet = new HashSet<>();
    private final Map<Integer, Long> lastSeqByClient = new HashMap<>();

    KvStateMachine(boolean dedup) {
        this.dedup = dedup;
    }

    static KvStateMachine restore(Snapshot snapshot, boolean dedup) {
        KvStateMachine state = new KvStateMachine(dedup);
        state.slot = snapshot.slot();
        state.digest = snapshot.digest();
        state.applied.addAll(snapshot.applied());
        state.appliedSet.addAll(snapshot.applied());
        state.lastSeqByClient.putAll(snapshot.lastSeqByClient());
        return state;
    }

    long slot() {
        return slot;
    }

    long digest() {
        return digest;
    }

    int appliedCount() {
        return applied.size();
    }

    boolean contains(Command.Id id) {
        return appliedSet.contains(id);
    }

    /** True when a command with this id is applied already (what a leader answers a retry from). */
    boolean isApplied(Command.Id id) {
        return dedup ? lastSeqByClient.getOrDefault(id.clientId(), 0L) >= id.seq() : appliedSet.contains(id);
    }

    /** Marks the slot whose commands follow as applied. */
    void beginSlot(long nextSlot) {
        slot = nextSlot;
    }

    Effect apply(Command command) {
        Command.Id id = command.id();
        if (dedup && lastSeqByClient.getOrDefault(command.clientId(), 0L) >= command.seq()) {
            return Effect.DUPLICATE_SKIPPED;
        }
        boolean again = !appliedSet.add(id);
        applied.add(id);
        lastSeqByClient.merge(command.clientId(), command.seq(), Math::max);
        digest = digest * 1_000_003L + command.hash();
        return again ? Effect.APPLIED_AGAIN : Effect.APPLIED;
    }

    Snapshot snapshot() {
        return new Snapshot(slot, digest, List.copyOf(applied), Map.copyOf(lastSeqByClient));
    }
}
