package io.shardbank.sim;

import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.DurableState;
import io.shardbank.paxos.SlotValue;
import io.shardbank.storage.Checkpoint;
import io.shardbank.storage.StoredState;
import io.shardbank.storage.WriteBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One bank node's disk, with the semantics of its SQLite file (NodeStore): one write at a time, each
 * {@link WriteBatch} made durable as one transaction after a random fsync delay; a crash loses the
 * write under way. A restart finds the Paxos state and the last checkpoint of the shard.
 */
final class BankDisk {

    private final EventQueue queue;
    private final SplittableRandom random;
    private final long fsyncMaxMs;
    private long writesLost;
    private int generation;

    // Durable.
    private Ballot promised = Ballot.ZERO;
    private final TreeMap<Long, SlotValue> log = new TreeMap<>();
    private long commitIndex;
    private long compactedThrough;
    private long appliedSlot;
    private final Map<Integer, Long> balances = new HashMap<>();
    private byte[] sessions = new byte[0];

    BankDisk(EventQueue queue, SplittableRandom random, long fsyncMaxMs) {
        this.queue = queue;
        this.random = random;
        this.fsyncMaxMs = fsyncMaxMs;
    }

    /** Starts a write; {@code onDurable} runs once it is synced, unless the node crashes first. */
    void write(WriteBatch batch, Runnable onDurable) {
        int started = generation;
        long delay = batch.isEmpty() ? 0 : 1 + random.nextLong(fsyncMaxMs);
        queue.after(delay, () -> {
            if (started != generation) {
                return;
            }
            makeDurable(batch);
            onDurable.run();
        });
    }

    private void makeDurable(WriteBatch batch) {
        if (batch.promised() != null) {
            promised = batch.promised();
        }
        for (SlotValue entry : batch.accepted()) {
            log.put(entry.slot(), entry);
        }
        if (batch.checkpoint() != null) {
            Checkpoint checkpoint = batch.checkpoint();
            if (checkpoint.complete()) {
                balances.clear();
            }
            balances.putAll(checkpoint.balances());
            appliedSlot = checkpoint.appliedSlot();
            sessions = checkpoint.sessions();
            if (checkpoint.compactThrough() > 0) {
                log.headMap(checkpoint.compactThrough(), true).clear();
                compactedThrough = checkpoint.compactThrough();
            }
        }
        if (batch.commitIndex() >= 0) {
            commitIndex = batch.commitIndex();
        }
    }

    /** The process dies: the write under way never reaches the disk. */
    void crash() {
        generation++;
        writesLost++;
    }

    StoredState load() {
        List<SlotValue> accepted = new ArrayList<>(log.tailMap(compactedThrough, false).values());
        return new StoredState(new DurableState(promised, accepted, commitIndex, compactedThrough), appliedSlot,
                Map.copyOf(balances), sessions);
    }

    long writesLost() {
        return writesLost;
    }
}
