package io.shardbank.sim;

import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.DurableState;
import io.shardbank.paxos.SlotValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One node's disk. Writes queue up and become durable in order, each after a random fsync delay;
 * a crash loses every write not yet synced. What is durable is what a restart finds.
 */
final class SimDisk {

    /** One write: Paxos state from a Ready, optionally a snapshot, and what to do once it is durable. */
    record Write(Ballot promised, List<SlotValue> accepted, long commitIndex, KvStateMachine.Snapshot snapshot,
            long compactThrough, Runnable onSynced) {

        boolean hasData() {
            return promised != null || !accepted.isEmpty() || commitIndex >= 0 || snapshot != null;
        }
    }

    private record Pending(Write write, long syncAt) {
    }

    private final EventQueue queue;
    private final SplittableRandom random;
    private final long fsyncMaxMs;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long lastSyncAt;

    // Durable.
    private Ballot promised = Ballot.ZERO;
    private final TreeMap<Long, SlotValue> log = new TreeMap<>();
    private long commitIndex;
    private long compactedThrough;
    private KvStateMachine.Snapshot snapshot;

    SimDisk(EventQueue queue, SplittableRandom random, long fsyncMaxMs) {
        this.queue = queue;
        this.random = random;
        this.fsyncMaxMs = fsyncMaxMs;
    }

    void submit(Write write) {
        long syncAt = queue.now();
        if (write.hasData()) {
            syncAt += 1 + random.nextLong(fsyncMaxMs);
        }
        syncAt = Math.max(syncAt, lastSyncAt);
        lastSyncAt = syncAt;
        pending.add(new Pending(write, syncAt));
        queue.at(syncAt, this::syncDue);
    }

    private void syncDue() {
        while (!pending.isEmpty() && pending.peek().syncAt() <= queue.now()) {
            Write write = pending.poll().write();
            makeDurable(write);
            write.onSynced().run();
        }
    }

    private void makeDurable(Write write) {
        if (write.promised() != null) {
            promised = write.promised();
        }
        for (SlotValue entry : write.accepted()) {
            if (entry.slot() > compactedThrough) {
                log.put(entry.slot(), entry);
            }
        }
        if (write.commitIndex() >= 0) {
            commitIndex = Math.max(commitIndex, write.commitIndex());
        }
        if (write.snapshot() != null && (snapshot == null || write.snapshot().slot() > snapshot.slot())) {
            snapshot = write.snapshot();
            commitIndex = Math.max(commitIndex, snapshot.slot());
        }
        if (write.compactThrough() > compactedThrough) {
            compactedThrough = write.compactThrough();
            log.headMap(compactedThrough, true).clear();
        }
    }

    /** The node stops: writes not yet synced are gone. */
    void crash() {
        pending.clear();
        lastSyncAt = queue.now();
    }

    DurableState load() {
        List<SlotValue> accepted = new ArrayList<>(log.values());
        return new DurableState(promised, accepted, commitIndex, compactedThrough);
    }

    KvStateMachine.Snapshot snapshot() {
        return snapshot;
    }

    /** The durable value of a slot above the compaction point, or null. */
    SlotValue entry(long slot) {
        return log.get(slot);
    }

    long commitIndex() {
        return commitIndex;
    }
}
