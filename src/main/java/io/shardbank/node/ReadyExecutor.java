package io.shardbank.node;

import io.shardbank.model.Invariants;
import io.shardbank.paxos.PaxosMessage;
import io.shardbank.paxos.Ready;
import io.shardbank.storage.Checkpoint;
import io.shardbank.storage.WriteBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries out a replica's {@link Ready} in the order it describes: send what need not wait, make
 * the rest durable with group commit (one write in flight; what arrives meanwhile merges into the
 * next batch), hand the node its part (apply, views, snapshots, leadership), and send what had to
 * wait for the disk once the write that holds it is done. Acceptors answer only after their write
 * is durable, the leader's own vote included.
 *
 * <p>This is the one place where a message to the node itself loops back to its replica. Such a
 * message, and every Ready produced while one is being carried out, joins a work queue that the
 * outermost call drains in order, so no input recurses into another; the open batch is handed to
 * the disk once the queue is empty, so everything one input caused shares a write. (What the
 * replica sends itself without waiting for the disk, such as its own Phase1Prepare or Accept, it
 * still handles inside the same input; that never reaches the host.)
 *
 * <p>Pure and single-threaded: no clock, no randomness, no I/O of its own. {@link NodeCore} hosts
 * it for a shard node; the deterministic simulation hosts a bare replica with it too.
 */
public final class ReadyExecutor {

    /** What the executor asks of the node around it. */
    public interface Node {

        /** Sends a Paxos message to another node. */
        void send(int node, PaxosMessage message);

        /** Starts making a batch durable; {@link #onWriteDone} follows, never from inside this call. */
        void write(WriteBatch batch);

        /** Hands a message this node sent itself to its replica, and returns what that asked for. */
        Ready deliverToSelf(PaxosMessage message);

        /** The snapshot of a completed write is durable: the replica may drop the log through {@code slot}. */
        void compactThrough(long slot);

        /** The node's part of a Ready: apply what was chosen, note views, ship snapshots, follow leadership. */
        void carryOutLocally(Ready ready);
    }

    private sealed interface Work {
    }

    private record CarryOut(Ready ready) implements Work {
    }

    private record LoopBack(PaxosMessage message) implements Work {
    }

    private final int self;
    private final Node node;
    private final ArrayDeque<Work> work = new ArrayDeque<>();
    private boolean draining;

    // Group commit: one write in flight; what arrives meanwhile merges into the open batch.
    private WriteBatch openBatch = new WriteBatch();
    private List<Ready.Outbound> openAfterPersist = new ArrayList<>();
    private List<Ready.Outbound> inFlightAfterPersist = List.of();
    private long inFlightCompaction;
    private boolean writing;

    public ReadyExecutor(int self, Node node) {
        this.self = self;
        this.node = node;
    }

    /** Carries out {@code ready}, and whatever it causes, before returning (or queues it behind the work under way). */
    public void carryOut(Ready ready) {
        if (!ready.isEmpty()) {
            work.add(new CarryOut(ready));
            drain();
        }
    }

    /** Adds a checkpoint of the shard to the next write. */
    void persist(Checkpoint checkpoint) {
        openBatch.checkpoint(checkpoint);
    }

    /** The write started last is durable: release what waited for it, then start the next one. */
    public void onWriteDone() {
        Invariants.check(writing, "n%d: a write completed that was never started", self);
        writing = false;
        List<Ready.Outbound> release = inFlightAfterPersist;
        inFlightAfterPersist = List.of();
        if (inFlightCompaction > 0) {
            node.compactThrough(inFlightCompaction);
        }
        send(release);
        drain();
    }

    /** Whether a write is in flight. */
    boolean isWriting() {
        return writing;
    }

    private void drain() {
        if (draining) {
            return; // the outer call reaches what was just queued
        }
        draining = true;
        try {
            for (Work next = work.poll(); next != null; next = work.poll()) {
                if (next instanceof LoopBack loopBack) {
                    Ready ready = node.deliverToSelf(loopBack.message());
                    if (!ready.isEmpty()) {
                        step(ready);
                    }
                } else {
                    step(((CarryOut) next).ready());
                }
            }
            flushWrites();
        } finally {
            draining = false;
        }
    }

    private void step(Ready ready) {
        send(ready.sendNow);
        boolean mustWait = ready.needsPersist() || writing || !openBatch.isEmpty() || !openAfterPersist.isEmpty();
        if (ready.promised != null) {
            openBatch.promise(ready.promised);
        }
        openBatch.accept(ready.accepted);
        if (ready.commitIndex >= 0) {
            openBatch.commitIndex(ready.commitIndex);
        }
        if (mustWait) {
            openAfterPersist.addAll(ready.sendAfterPersist);
        }
        node.carryOutLocally(ready);
        if (!mustWait) {
            send(ready.sendAfterPersist); // nothing of it, nor before it, waits for the disk
        }
    }

    private void send(List<Ready.Outbound> messages) {
        for (Ready.Outbound out : messages) {
            if (out.to() == self) {
                work.add(new LoopBack(out.message()));
            } else {
                node.send(out.to(), out.message());
            }
        }
    }

    private void flushWrites() {
        if (writing || (openBatch.isEmpty() && openAfterPersist.isEmpty())) {
            return;
        }
        writing = true;
        WriteBatch batch = openBatch;
        inFlightAfterPersist = openAfterPersist;
        inFlightCompaction = batch.compactThrough();
        openBatch = new WriteBatch();
        openAfterPersist = new ArrayList<>();
        node.write(batch);
    }
}
