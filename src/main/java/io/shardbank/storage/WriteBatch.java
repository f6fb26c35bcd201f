package io.shardbank.storage;

import io.shardbank.paxos.Ballot;
import io.shardbank.paxos.SlotValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Everything one SQLite transaction makes durable. A node merges the writes that pile up while the
 * previous transaction syncs into one batch (group commit): later values of the promise, commit
 * index and checkpoint replace earlier ones, accepted values add up.
 */
public final class WriteBatch {

    /** The promise to store, or null when unchanged. */
    Ballot promised;
    final List<SlotValue> accepted = new ArrayList<>();
    /** The commit index to store, or -1 when unchanged. */
    long commitIndex = -1;
    /** A checkpoint of the shard state to store, or null. */
    Checkpoint checkpoint;

    public void promise(Ballot ballot) {
        promised = ballot;
    }

    public void accept(List<SlotValue> values) {
        accepted.addAll(values);
    }

    public void commitIndex(long index) {
        commitIndex = Math.max(commitIndex, index);
    }

    /** Adds a checkpoint; a later one absorbs an earlier one's dirty balances. */
    public void checkpoint(Checkpoint next) {
        checkpoint = checkpoint == null ? next : checkpoint.followedBy(next);
    }

    /** The slot through which the batch's checkpoint lets the log be dropped; 0 when none. */
    public long compactThrough() {
        return checkpoint == null ? 0 : checkpoint.compactThrough();
    }

    public boolean isEmpty() {
        return promised == null && accepted.isEmpty() && commitIndex < 0 && checkpoint == null;
    }

    /** The promise to store, or null when unchanged. */
    public Ballot promised() {
        return promised;
    }

    /** The accepted values to store, in the order they were accepted. */
    public List<SlotValue> accepted() {
        return Collections.unmodifiableList(accepted);
    }

    /** The commit index to store, or -1 when unchanged. */
    public long commitIndex() {
        return commitIndex;
    }

    /** The checkpoint to store, or null. */
    public Checkpoint checkpoint() {
        return checkpoint;
    }
}
